export const ANNOUNCE_MS = 500;
export class QueueAnnouncer {
    store;
    notify;
    log;
    scheduled;
    changed = new Set();
    timer = null;
    flushing = null;
    constructor(store, notify, log, 
    /** False where background work is driven by hand (tests with `startWorkers: false`): only flush() announces. */
    scheduled = true) {
        this.store = store;
        this.notify = notify;
        this.log = log;
        this.scheduled = scheduled;
    }
    /** A conversation opened in (or left) this queue. */
    queueChanged(queueId) {
        this.changed.add(queueId);
        if (this.scheduled && !this.timer) {
            this.timer = setTimeout(() => void this.flush(), ANNOUNCE_MS);
            this.timer.unref();
        }
    }
    /** Announces what changed now (tests, shutdown). */
    async flush() {
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = null;
        await this.flushing;
        const queues = [...this.changed];
        this.changed.clear();
        this.flushing = (async () => {
            for (const queueId of queues) {
                await this.store.announceQueue(queueId).catch((err) => this.log.error({ err, queueId }, 'queue counts not announced'));
            }
            if (queues.length)
                this.notify();
        })();
        await this.flushing;
        this.flushing = null;
    }
    stop() {
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = null;
    }
}
//# sourceMappingURL=queue-announcer.js.map