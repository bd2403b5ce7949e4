/**
 * The store's small cleanups, every ten minutes on every instance (they take turns on the rows):
 * the shared request-limit counts whose window has ended (PostgreSQL: routes/shared-rate-limit.ts),
 * and the uploads no message carries, a day after their link lapsed
 * (usecases/forget-unsent-uploads.ts). Each would otherwise grow for ever. The event log has its
 * own pruner (events/event-log-pruner.ts): it is kept by a retention of its own.
 */
import type { FastifyBaseLogger } from 'fastify';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import type { Clock } from '../domain/clock.ts';
import type { Store } from '../store/port.ts';
import { runNowAndEvery } from './repeating.ts';

export const HOUSEKEEPING_EVERY_MS = 10 * 60_000;

export class Housekeeping {
  private stopRunning: (() => void) | null = null;

  constructor(
    private readonly store: Pick<Store, 'forgetLapsedRequestLimits' | 'forgetUnsentUploads'>,
    private readonly clock: Clock,
    private readonly log: Pick<FastifyBaseLogger, 'info' | 'warn'>,
  ) {}

  start(): void {
    // pass() logs its own failures: each cleanup apart.
    this.stopRunning ??= runNowAndEvery(HOUSEKEEPING_EVERY_MS, () => this.pass(), () => undefined);
  }

  stop(): void {
    this.stopRunning?.();
    this.stopRunning = null;
  }

  /** One pass; each cleanup apart, so one failing (logged) does not hold up the other. */
  async pass(): Promise<{ requestLimits: number; uploads: number }> {
    const requestLimits = await (this.store.forgetLapsedRequestLimits?.() ?? Promise.resolve(0)).catch((err: unknown) => {
      this.log.warn({ err }, 'housekeeping: lapsed request limits not removed');
      return 0;
    });
    const uploads = await this.forgetUploads().catch((err: unknown) => {
      this.log.warn({ err }, 'housekeeping: unsent uploads not removed');
      return 0;
    });
    if (uploads > 0) this.log.info({ uploads }, 'unsent uploads removed');
    return { requestLimits, uploads };
  }

  private async forgetUploads(): Promise<number> {
    let total = 0;
    for (;;) {
      const { forgotten, more } = await this.store.forgetUnsentUploads(this.clock.now());
      total += forgotten;
      if (!more) return total;
      // Webhooks and streams go first between batches.
      await yieldToOthers();
    }
  }
}
