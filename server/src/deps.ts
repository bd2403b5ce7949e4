/**
 * What the relay is built from. A module of its own so that parts of the relay (the outbox
 * worker, for one) can name their dependencies without importing app.ts, which imports them:
 * no import cycles.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { DestinationStream } from 'pino';
import type { TokenVerifier } from './auth/tokens.ts';
import type { Bus } from './bus/port.ts';
import type { Config } from './config.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { Clock } from './domain/clock.ts';
import type { Simulator } from './simulator/simulator.ts';
import type { Store } from './store/port.ts';
import type { Transport } from './transport/port.ts';

export interface AppDeps {
  config: Config;
  store: Store;
  bus: Bus;
  transport: Transport;
  clock: Clock;
  verifyToken: TokenVerifier;
  /** The secret Twilio signs webhooks with: the account's auth token, or the simulator's. */
  webhookAuthToken: string;
  /** Present in simulator mode. */
  simulator?: Simulator;
  /** Mints dev tokens for the demo page (AUTH_MODE=dev only). */
  mintToken?: (agent: { id: string; name: string; role: 'agent' | 'supervisor' }) => Promise<string>;
  logger?: FastifyBaseLogger | boolean;
  /** Where the relay's own JSON log lines go (default stdout); wins over `logger`. Tests read them. */
  logStream?: DestinationStream;
  /** Background work (routing ticks, outbox); tests may drive them by hand. */
  startWorkers?: boolean;
  /** Prometheus instruments; buildApp creates a fresh registry when absent. */
  metrics?: Metrics;
}
