/**
 * Closes conversations left in Waiting with no customer message for AUTO_CLOSE_AFTER
 * (usecases/auto-close.ts). Runs on an interval; each pass is one transaction over locked
 * rows, so several instances passing at once close each conversation once.
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

  start(): void {
    if (!this.config.autoCloseAfterMs) return;
    this.timer ??= setInterval(() => void this.pass().catch((err: unknown) => this.log.error({ err }, 'auto-close pass failed')), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass; returns the ids closed. */
  async pass(): Promise<string[]> {
    if (!this.config.autoCloseAfterMs) return [];
    const closed = await this.store.autoClose(this.config.autoCloseAfterMs, this.clock.now());
    if (closed.length) this.bus.publish('events');
    return closed.map((c) => c.id);
  }
}
