import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/**
 * Opaque ids with a readable prefix: cv_ conversation, msg_ message, med_ media, nt_ note.
 * Time-ordered (UUIDv7, RFC 9562: milliseconds, then a counter and random bits): rows written
 * together sit together in every index on their id, so a group commit of webhooks dirties a
 * few index pages at the right edge instead of one random page per row — the SQLite WAL
 * written per inbound webhook fell from 4.2 to 2.3 pages (test/bench/README.md), and
 * PostgreSQL's B-trees get the same locality. Still 32 hex digits with ~74 random bits; ids
 * are not secrets (the API is authenticated; public media URLs use newSecretToken).
 */
export const newId = (prefix: string): string => `${prefix}_${uuidv7().replace(/-/g, '')}`;

/** Unguessable token for public media URLs Twilio fetches. */
export const newSecretToken = (): string => randomBytes(24).toString('base64url');

/** A GUID as Entra and Dataverse write their ids (any case). */
export const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const GUID = new RegExp(GUID_PATTERN);
export const isGuid = (text: string): boolean => GUID.test(text);
