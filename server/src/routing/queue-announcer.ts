/**
 * Tells a queue's members and supervisors its counts after conversations open in it — at most
 * once per queue every ANNOUNCE_MS per instance. Counts are a glance for the team, not a
 * ledger: announcing after every new conversation wrote one event per member per webhook and
 * took the event-id lock each time, which cost the two-instance PostgreSQL bench about a third
 * of its webhooks and held cross-instance events back (test/bench/README.md). Coalesced, the
 * last counts of a burst still reach everyone within ANNOUNCE_MS.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/port.ts';

export const ANNOUNCE_MS = 500;

export class QueueAnnouncer {
  private readonly changed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly store: Pick<Store, 'announceQueue'>,
    private readonly notify: () => void,
    private readonly log: FastifyBaseLogger,
    /** False where background work is driven by hand (tests with `startWorkers: false`): only flush() announces. */
    private readonly scheduled = true,
  ) {}

  /** A conversation opened in (or left) this queue. */
  queueChanged(queueId: string): void {
    this.changed.add(queueId);
    if (this.scheduled && !this.timer) {
      this.timer = setTimeout(() => void this.flush(), ANNOUNCE_MS);
      this.timer.unref();
    }
  }

  /** Announces what changed now (tests, shutdown). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
    const queues = [...this.changed];
    this.changed.clear();
    this.flushing = (async () => {
      for (const queueId of queues) {
        await this.store.announceQueue(queueId).catch((err: unknown) => this.log.error({ err, queueId }, 'queue counts not announced'));
      }
      if (queues.length) this.notify();
    })();
    await this.flushing;
    this.flushing = null;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
