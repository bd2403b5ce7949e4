/**
 * The Bus across instances: PostgreSQL LISTEN/NOTIFY, used only as a wake-up. Readers
 * always re-read the durable store by cursor, so a notification lost while the listening
 * connection was down costs a delay, never an event: after reconnecting, every listener
 * is fired once so readers re-poll whatever they missed.
 *
 * The `events` wake-up normally comes from the store itself: a transaction that wrote
 * events notifies inside its own COMMIT (PgTx.commit), so other instances hear at the
 * moment the events become visible, with the newest id (and the events, when they fit),
 * and without a round trip of its own. The bus then only wakes this process's listeners
 * on publish('events'); it sends the NOTIFY itself only when told the store does not
 * (`storeAnnouncesEvents` false).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { guardPool, stderrLogger } from '../store/postgres/connection.ts';
import { assertSchemaName, parseDatabaseUrl } from '../store/postgres/database-url.ts';
import { parseWakeUp, wakeUpChannel, wakeUpPayload } from '../store/postgres/wake-ups.ts';
import type { Bus, BusListener, BusTopic } from './port.ts';

const TOPICS: readonly BusTopic[] = ['events', 'outbox'];

export interface BusLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface PostgresBusOptions {
  /** Instances on the same schema hear each other; other schemas (other deployments, test runs) do not. Default: `?schema=` of the URL. */
  schema?: string;
  logger?: BusLogger;
  /** Reconnect backoff, doubling from min to max. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * This instance's id in wake-ups: its own are ignored. The store of the same instance
   * must sign its commits' wake-ups with it (store/open-store.ts). Default: a new one.
   */
  origin?: string;
  /** The store notifies `events` in its commits (PostgresDatabase `announceAs`): publish('events') stays local. */
  storeAnnouncesEvents?: boolean;
}

export class PostgresBus implements Bus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  /** Tags our own notifications: local listeners already ran when we published. */
  private readonly instanceId: string;
  private readonly connectionString: string;
  private readonly channel: string;
  private readonly publisher: pg.Pool;
  private readonly pendingTopics = new Set<BusTopic>();
  private listener: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private backoffMs: number;
  private closed = false;

  /** `databaseUrl` as in DATABASE_URL: `postgres://...`, optionally `?schema=name`. Call start() before use. */
  constructor(
    databaseUrl: string,
    private readonly options: PostgresBusOptions = {},
  ) {
    const parsed = parseDatabaseUrl(databaseUrl);
    this.connectionString = parsed.connectionString;
    const schema = options.schema ?? parsed.schema;
    if (schema !== undefined) assertSchemaName(schema);
    this.channel = wakeUpChannel(schema);
    this.instanceId = options.origin ?? randomUUID();
    this.backoffMs = options.minBackoffMs ?? 100;
    this.publisher = guardPool(new pg.Pool({ connectionString: this.connectionString, max: 1, application_name: 'wcp-relay-bus' }), 'bus-publish', this.log);
  }

  /** Connects the listening connection, so nothing published after this resolves is missed. */
  async start(): Promise<void> {
    await this.connect();
  }

  publish(topic: BusTopic): void {
    this.emitter.emit(topic);
    if (topic === 'events' && this.options.storeAnnouncesEvents) return;
    // Writes come in bursts: one NOTIFY per topic per turn of the event loop wakes everyone.
    if (this.closed || this.pendingTopics.has(topic)) return;
    this.pendingTopics.add(topic);
    setImmediate(() => {
      this.pendingTopics.delete(topic);
      if (this.closed) return;
      this.publisher.query('SELECT pg_notify($1, $2)', [this.channel, wakeUpPayload(topic, this.instanceId)]).catch((error: Error) => {
        this.log.warn({ err: error, topic }, 'bus: NOTIFY failed; other instances will catch up on their next poll');
      });
    });
  }

  subscribe(topic: BusTopic, listener: BusListener): () => void {
    this.emitter.on(topic, listener);
    return () => this.emitter.off(topic, listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.publisher.end().catch(() => undefined);
    this.emitter.removeAllListeners();
  }

  /** The logger given, else warnings as JSON lines on stderr: a lost LISTEN connection is never silent. */
  private get log(): BusLogger {
    return this.options.logger ?? { warn: (obj, msg) => stderrLogger.warn(obj, msg), info: () => undefined };
  }

  /**
   * A dedicated client (not a pool checkout): it lives as long as the bus. Its 'error' and
   * 'end' listeners are attached before it connects, so its connection dying at any moment
   * — while connecting, while LISTENing, idle — schedules a reconnect and never reaches
   * the process as an unhandled 'error'.
   */
  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'wcp-relay-bus', keepAlive: true });
    let died: Error | null = null;
    client.on('notification', (n) => this.onNotification(n));
    client.on('error', (error) => {
      died ??= error;
      this.lost(client, error);
    });
    client.on('end', () => {
      died ??= new Error('Connection terminated');
      this.lost(client);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      // Died between LISTEN's answer and here: lost() ignored it, as it was not yet the listener.
      if (died) throw died;
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
  }

  private onNotification(n: pg.Notification): void {
    if (n.channel !== this.channel) return;
    const wakeUp = parseWakeUp(n.payload);
    if (!wakeUp || wakeUp.origin === this.instanceId) return;
    this.emitter.emit(wakeUp.topic, wakeUp.upToEventId, wakeUp.events);
  }

  private lost(client: pg.Client, error?: Error): void {
    if (client !== this.listener) return;
    this.listener = null;
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.log.warn({ err: error }, 'bus: listening connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 5000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().then(
        () => {
          if (this.closed) return;
          this.backoffMs = this.options.minBackoffMs ?? 100;
          this.log.info({}, 'bus: listening again');
          // Whatever was published while we were deaf: every reader re-polls once.
          for (const topic of TOPICS) this.emitter.emit(topic);
        },
        (error: Error) => {
          if (this.closed) return;
          this.log.warn({ err: error, retryInMs: this.backoffMs }, 'bus: reconnect failed');
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }
}
