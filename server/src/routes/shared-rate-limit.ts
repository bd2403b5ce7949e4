/**
 * @fastify/rate-limit's store for limits counted in the shared database (Store.countRequest), so
 * instances behind a load balancer (no sticky sessions: docs/scale-out.md) allow an agent each
 * limit once, not once per instance. Without it the plugin counts in each process's memory,
 * which is right for the one-process SQLite relay.
 *
 * Each limiter counts apart under its `groupId`: a limiter made with app.rateLimit() has no
 * route for the plugin to tell it apart, so one without a name is refused when it is made,
 * rather than sharing another limiter's count.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Store } from '../store/port.ts';

type CountRequest = NonNullable<Store['countRequest']>;
type Callback = Parameters<FastifyRateLimitStore['incr']>[1];

export function sharedRateLimitStore(countRequest: CountRequest): FastifyRateLimitStoreCtor {
  class SharedLimit implements FastifyRateLimitStore {
    /** The limiter's own count; the plugin's root store (made with the plugin's options) has none. */
    private group: string | null = null;

    // The plugin passes the limiter's window (ms) after the callback (its types leave it out).
    incr(key: string, callback: Callback, windowMs?: number): void {
      if (this.group === null || windowMs === undefined) {
        callback(new Error('A shared request limit was used without its group or window'));
        return;
      }
      countRequest(`${this.group}:${key}`, windowMs).then(
        ({ count, ttlMs }) => callback(null, { current: count, ttl: ttlMs }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(options: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const group = (options as { groupId?: unknown }).groupId;
      if (typeof group !== 'string' || !group) throw new Error('A request limit counted in the shared database needs a groupId of its own');
      const named = new SharedLimit();
      named.group = group;
      return named;
    }
  }
  return SharedLimit;
}
