/**
 * The LISTEN/NOTIFY wake-ups instances sharing a schema send each other (bus/postgres.ts
 * listens; the store's commits send the `events` one, see PgTx.commit). One home for the
 * channel's name and the payload's shape, so the sender and the listener cannot drift.
 *
 * Payload: `<topic>:<origin>` or, for events, `events:<origin>:<newest event id>`, followed
 * by `:<the commit's events as a JSON array>` when they fit. The origin is the sending
 * instance's id (it ignores its own wake-ups: its listeners ran when it wrote); the newest id
 * tells a reader whether it already has those events; the events themselves let a reader
 * whose cursor is just before them hand them to its streams without reading them back
 * (EventHub.offer) — they are the committed rows, so nothing travels that is not in the store.
 */
import type { BusTopic } from '../../bus/port.ts';
import type { StoredEvent } from '../port.ts';

const TOPICS: readonly BusTopic[] = ['events', 'outbox'];

/** Instances on the same schema hear each other; other schemas (other deployments, test runs) do not. */
export function wakeUpChannel(schema: string | undefined): string {
  return `wcp_${schema ?? 'default'}`;
}

export function wakeUpPayload(topic: BusTopic, origin: string, upToEventId?: number): string {
  return upToEventId === undefined ? `${topic}:${origin}` : `${topic}:${origin}:${upToEventId}`;
}

/**
 * PostgreSQL refuses a NOTIFY payload of 8000 bytes or more, and the refusal would fail the
 * commit it rides in: a commit whose events do not fit announces their newest id alone.
 */
export const WAKE_UP_MAX_BYTES = 7999;

/**
 * Whether a commit's events may fit in its wake-up: their JSON as PostgreSQL's
 * json_build_object writes it (`{"id" : 1, "type" : "…", "agentId" : "…", "data" : …}`),
 * over-estimated; announceWrittenEvents checks the exact size. `data`: each event's data as JSON.
 */
export function mayCarry(events: readonly { type: string; agentId: string | null }[], data: readonly string[]): boolean {
  let bytes = 100; // `events:<origin>:<id>:[]`
  for (const [i, e] of events.entries()) {
    bytes += 80 + Buffer.byteLength(e.type) + (e.agentId === null ? 0 : Buffer.byteLength(e.agentId)) + Buffer.byteLength(data[i]!);
    if (bytes > WAKE_UP_MAX_BYTES) return false;
  }
  return true;
}

/**
 * The SELECT, for PgTx.commit, that announces the events of `written` (a CTE of the inserted
 * rows: id, and with `carry` type, agent_id, data) on `channel` and returns their ids as
 * `ids`, an int8[] as text. With `carry`, the payload carries the events when they fit, as JSON
 * built by PostgreSQL from the rows as inserted, with their ids, in the shape readEvents
 * returns. `channel` and `prefix` (the `events:<origin>:` prefix) are SQL text values: quoted
 * literals or parameters.
 */
export function announceWrittenEvents(channel: string, prefix: string, written: string, carry: boolean): string {
  if (!carry) return `SELECT array_agg(id)::text AS ids, pg_notify(${channel}, ${prefix} || max(id)) FROM ${written}`;
  return `SELECT ids, pg_notify(${channel}, CASE WHEN octet_length(head) + 1 + octet_length(body) <= ${WAKE_UP_MAX_BYTES} THEN head || ':' || body ELSE head END)
FROM (SELECT array_agg(id ORDER BY id)::text AS ids, ${prefix} || max(id) AS head,
  json_agg(json_build_object('id', id, 'type', type, 'agentId', agent_id, 'data', data) ORDER BY id)::text AS body FROM ${written}) AS told`;
}

export interface WakeUp {
  topic: BusTopic;
  origin: string;
  /** The newest event id the sender's commit wrote, when it said. */
  upToEventId?: number;
  /** The events the sender's commit wrote, ending at upToEventId, when they fit in the payload. */
  events?: StoredEvent[];
}

/** null for a payload that is not ours (anything may NOTIFY on a channel). */
export function parseWakeUp(payload: string | undefined): WakeUp | null {
  const [topic, origin, upTo, events] = splitFields(payload ?? '');
  if (!TOPICS.includes(topic as BusTopic) || !origin) return null;
  const upToEventId = upTo === undefined ? undefined : Number(upTo);
  if (upToEventId !== undefined && !Number.isSafeInteger(upToEventId)) return null;
  const told = upToEventId === undefined || events === undefined ? undefined : parseEvents(events, upToEventId);
  return { topic: topic as BusTopic, origin, ...(upToEventId === undefined ? {} : { upToEventId }), ...(told ? { events: told } : {}) };
}

/** The first three `:`-separated fields, and the rest (the JSON, which has colons of its own) as the fourth. */
function splitFields(payload: string): (string | undefined)[] {
  const fields: string[] = [];
  let from = 0;
  while (fields.length < 3) {
    const at = payload.indexOf(':', from);
    if (at < 0) break;
    fields.push(payload.slice(from, at));
    from = at + 1;
  }
  fields.push(payload.slice(from));
  return fields;
}

/**
 * The events a payload carries, or undefined when they are not well formed (the wake-up then
 * still names its id, and the reader reads): ids ascending and ending at the id named.
 */
function parseEvents(json: string, upToEventId: number): StoredEvent[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0) return undefined;
  let previous = 0;
  for (const e of value as Partial<StoredEvent>[]) {
    const wellFormed =
      typeof e === 'object' && e !== null && Number.isSafeInteger(e.id) && e.id! > previous && typeof e.type === 'string' &&
      (e.agentId === null || typeof e.agentId === 'string') && typeof e.data === 'object' && e.data !== null;
    if (!wellFormed) return undefined;
    previous = e.id!;
  }
  return previous === upToEventId ? (value as StoredEvent[]) : undefined;
}
