import { randomBytes, randomUUID } from 'node:crypto';

/** Opaque ids with a readable prefix: cv_ conversation, msg_ message, med_ media, nt_ note. */
export const newId = (prefix: string): string => `${prefix}_${randomUUID().replace(/-/g, '')}`;

/** Unguessable token for public media URLs Twilio fetches. */
export const newSecretToken = (): string => randomBytes(24).toString('base64url');
