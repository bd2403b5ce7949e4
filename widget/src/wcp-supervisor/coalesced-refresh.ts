/**
 * Re-reads the supervisor's view when events arrive, coalesced: a burst of events (a queue
 * filling, one transfer touching three agents) becomes one read after a short pause, and events
 * arriving while a read is in flight make exactly one more read after it — never one per event,
 * and never two reads at once, so an older answer cannot overwrite a newer one.
 */
export class CoalescedRefresh {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly load: () => Promise<void>,
    private readonly pauseMs = 150,
  ) {}

  /** Asks for a fresh read soon. */
  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.timer ??= setTimeout(() => void this.run(), this.pauseMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    try {
      await this.load();
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.request();
      }
    }
  }
}
