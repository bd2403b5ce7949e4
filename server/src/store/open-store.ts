/**
 * Picks the Store and Bus from DATABASE_URL: `sqlite:<path>` (embedded default: one process,
 * the store inside it) or `postgres://...` (several instances, LISTEN/NOTIFY wake-ups).
 */
import { randomUUID } from 'node:crypto';
import { InProcessBus } from '../bus/in-process.ts';
import type { Bus } from '../bus/port.ts';
import type { Store } from './port.ts';
import { SqliteStore } from './sqlite-store.ts';

/**
 * `takeOver` false: a check beside a running relay (`npm run doctor` with the service's
 * environment); an SQLite file's in-flight leases are then left to the relay that holds them.
 */
export async function openStore(databaseUrl: string, { takeOver = true } = {}): Promise<{ store: Store; bus: Bus }> {
  if (databaseUrl.startsWith('sqlite:')) {
    // In-process, on the relay's one thread. The store had a thread of its own until the tenth
    // session's measurements: with its work now small (a webhook's statements ~0.1 ms, one
    // fsynced commit per group), the hop there and back cost more than it spared — in the
    // same runs, in-process took more webhooks/s, a lower ack p99 at a paced 1,000/s, a lower
    // webhook → SSE p50 and 13–26 MB less RSS (test/bench/README.md, "Tenth session"). The
    // store runs one unit at a time either way, so a slow query delayed the next commit there too.
    const store = new SqliteStore(SqliteStore.pathFromUrl(databaseUrl), takeOver);
    await store.migrate();
    return { store, bus: new InProcessBus() };
  }
  // Loaded only when asked for, so the embedded default never touches pg.
  const { PostgresStore } = await import('./postgres-store.ts');
  const { PostgresBus } = await import('../bus/postgres.ts');
  // The store's commits announce their events to the other instances (PgTx.commit) under
  // the id this instance's bus knows as its own.
  const origin = randomUUID();
  const store = PostgresStore.fromUrl(databaseUrl, { announceAs: origin });
  await store.migrate();
  const bus = new PostgresBus(databaseUrl, { origin, storeAnnouncesEvents: true });
  await bus.start();
  return { store, bus };
}
