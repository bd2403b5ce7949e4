/**
 * Keeps the event log to EVENT_LOG_RETENTION (usecases/prune-event-log.ts): every few minutes
 * it notes the log's newest id (once an hour) and removes what has aged out, a batch per
 * transaction, yielding between batches. Every instance runs one; they take turns on the
 * pruned-through row.
 */
import type { FastifyBaseLogger } from 'fastify';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import type { Clock } from '../domain/clock.ts';
import { runNowAndEvery } from '../services/repeating.ts';
import type { Store } from '../store/port.ts';

const TICK_MS = 10 * 60_000;

export class EventLogPruner {
  private stopRunning: (() => void) | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly retentionMs: number,
    /** The CRM writer reads the log (Dataverse configured): what it has not read is kept. */
    private readonly crmSync: boolean,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    if (this.retentionMs === 0) return;
    this.stopRunning ??= runNowAndEvery(TICK_MS, () => this.pass(), (err) => this.log.error({ err }, 'event log pruning failed'));
  }

  stop(): void {
    this.stopRunning?.();
    this.stopRunning = null;
  }

  /** One pass: the hourly note, then every batch due; how many events went. */
  async pass(): Promise<number> {
    if (this.retentionMs === 0) return 0;
    await this.store.markEventLog(this.clock.now());
    let total = 0;
    for (;;) {
      const { pruned, more } = await this.store.pruneEventLog(this.clock.now(), this.retentionMs, this.crmSync);
      total += pruned;
      if (!more) break;
      // Webhooks and streams go first between batches.
      await yieldToOthers();
    }
    if (total > 0) this.log.info({ pruned: total }, 'event log pruned');
    return total;
  }
}
