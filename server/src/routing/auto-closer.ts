/**
 * Closes conversations left in Waiting with no customer message for AUTO_CLOSE_AFTER, and those
 * left in Wrap-up past the end set on entering it (WRAP_UP_CLOSE_AFTER) (usecases/auto-close.ts).
 * Runs on an interval; each pass is one transaction over locked rows per kind, so several
 * instances passing at once close each conversation once.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Bus } from '../bus/port.ts';
import type { Config } from '../config.ts';
import type { Clock } from '../domain/clock.ts';
import type { Store } from '../store/port.ts';

const TICK_MS = 60_000;

export class AutoCloser {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly config: Pick<Config, 'autoCloseAfterMs'>,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * Runs even with AUTO_CLOSE_AFTER and WRAP_UP_CLOSE_AFTER both 0: a wrap-up entered before
   * WRAP_UP_CLOSE_AFTER became 0 still closes at the time its agent was shown.
   */
  start(): void {
    this.timer ??= setInterval(() => void this.pass().catch((err: unknown) => this.log.error({ err }, 'auto-close pass failed')), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass; returns the ids closed. */
  async pass(): Promise<string[]> {
    const now = this.clock.now();
    const idle = this.config.autoCloseAfterMs ? await this.store.autoClose(this.config.autoCloseAfterMs, now) : [];
    const closed = [...idle, ...(await this.store.closeLapsedWrapUps(now))];
    if (closed.length) this.bus.publish('events');
    return closed.map((c) => c.id);
  }
}
