import { EventEmitter } from 'node:events';
import type { Bus, BusListener, BusTopic } from './port.ts';

/** The Bus for one process (SQLite mode). */
export class InProcessBus implements Bus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(topic: BusTopic): void {
    this.emitter.emit(topic);
  }

  subscribe(topic: BusTopic, listener: BusListener): () => void {
    this.emitter.on(topic, listener);
    return () => this.emitter.off(topic, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
