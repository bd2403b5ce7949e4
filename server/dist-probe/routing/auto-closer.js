const TICK_MS = 60_000;
export class AutoCloser {
    store;
    bus;
    clock;
    config;
    log;
    timer = null;
    constructor(store, bus, clock, config, log) {
        this.store = store;
        this.bus = bus;
        this.clock = clock;
        this.config = config;
        this.log = log;
    }
    start() {
        if (!this.config.autoCloseAfterMs)
            return;
        this.timer ??= setInterval(() => void this.pass().catch((err) => this.log.error({ err }, 'auto-close pass failed')), TICK_MS);
        this.timer.unref();
    }
    stop() {
        if (this.timer)
            clearInterval(this.timer);
        this.timer = null;
    }
    /** One pass; returns the ids closed. */
    async pass() {
        if (!this.config.autoCloseAfterMs)
            return [];
        const closed = await this.store.autoClose(this.config.autoCloseAfterMs, this.clock.now());
        if (closed.length)
            this.bus.publish('events');
        return closed.map((c) => c.id);
    }
}
//# sourceMappingURL=auto-closer.js.map