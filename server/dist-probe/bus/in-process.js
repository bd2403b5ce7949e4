import { EventEmitter } from 'node:events';
/** The Bus for one process (SQLite mode). */
export class InProcessBus {
    emitter = new EventEmitter().setMaxListeners(0);
    publish(topic) {
        this.emitter.emit(topic);
    }
    subscribe(topic, listener) {
        this.emitter.on(topic, listener);
        return () => this.emitter.off(topic, listener);
    }
    async close() {
        this.emitter.removeAllListeners();
    }
}
//# sourceMappingURL=in-process.js.map