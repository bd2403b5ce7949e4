/**
 * The Bus only wakes things up: "new events were appended", "the outbox has work".
 * Nothing travels on it that is not already in the store, so a missed notification
 * delays a reader until its next poll but never loses anything.
 */
export type BusTopic = 'events' | 'outbox';

export interface Bus {
  publish(topic: BusTopic): void;
  subscribe(topic: BusTopic, listener: () => void): () => void;
  close(): Promise<void>;
}
