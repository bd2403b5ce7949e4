/**
 * The Bus only wakes things up: "new events were appended", "the outbox has work".
 * Nothing travels on it that is not already in the store, so a missed notification
 * delays a reader until its next poll but never loses anything.
 */
import type { StoredEvent } from '../store/port.ts';

export type BusTopic = 'events' | 'outbox';

/**
 * `upToEventId`: the newest event id the wake-up is about, when the sender said (a
 * PostgreSQL commit does); a reader already past it has nothing to read. Without it,
 * something may have changed: read. `events`: the committed events ending at that id, when
 * the sender could carry them; a reader whose cursor is just before them need not read.
 */
export type BusListener = (upToEventId?: number, events?: readonly StoredEvent[]) => void;

export interface Bus {
  publish(topic: BusTopic): void;
  subscribe(topic: BusTopic, listener: BusListener): () => void;
  close(): Promise<void>;
}
