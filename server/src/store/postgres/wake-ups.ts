/**
 * The LISTEN/NOTIFY wake-ups instances sharing a schema send each other (bus/postgres.ts
 * listens; the store's commits send the `events` one, see PgTx.commit). One home for the
 * channel's name and the payload's shape, so the sender and the listener cannot drift.
 *
 * Payload: `<topic>:<origin>` or, for events, `events:<origin>:<newest event id>`. The
 * origin is the sending instance's id (it ignores its own wake-ups: its listeners ran when
 * it wrote); the newest id tells a reader whether it already has those events.
 */
import type { BusTopic } from '../../bus/port.ts';

const TOPICS: readonly BusTopic[] = ['events', 'outbox'];

/** Instances on the same schema hear each other; other schemas (other deployments, test runs) do not. */
export function wakeUpChannel(schema: string | undefined): string {
  return `wcp_${schema ?? 'default'}`;
}

export function wakeUpPayload(topic: BusTopic, origin: string, upToEventId?: number): string {
  return upToEventId === undefined ? `${topic}:${origin}` : `${topic}:${origin}:${upToEventId}`;
}

export interface WakeUp {
  topic: BusTopic;
  origin: string;
  /** The newest event id the sender's commit wrote, when it said. */
  upToEventId?: number;
}

/** null for a payload that is not ours (anything may NOTIFY on a channel). */
export function parseWakeUp(payload: string | undefined): WakeUp | null {
  const [topic, origin, upTo] = (payload ?? '').split(':');
  if (!TOPICS.includes(topic as BusTopic) || !origin) return null;
  const upToEventId = upTo === undefined ? undefined : Number(upTo);
  if (upToEventId !== undefined && !Number.isSafeInteger(upToEventId)) return null;
  return { topic: topic as BusTopic, origin, ...(upToEventId === undefined ? {} : { upToEventId }) };
}
