/**
 * Picks the Store and Bus from DATABASE_URL: `sqlite:<path>` (embedded default, one
 * process; the store on its own thread) or `postgres://...` (several instances, LISTEN/NOTIFY wake-ups).
 */
import { InProcessBus } from '../bus/in-process.ts';
import type { Bus } from '../bus/port.ts';
import type { Store } from './port.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import { openSqliteWorkerStore } from './sqlite/worker-store.ts';

export async function openStore(databaseUrl: string): Promise<{ store: Store; bus: Bus }> {
  if (databaseUrl.startsWith('sqlite:')) {
    // On a thread of its own, so SQLite's synchronous work never stalls HTTP and SSE.
    const store = openSqliteWorkerStore(SqliteStore.pathFromUrl(databaseUrl));
    await store.migrate();
    return { store, bus: new InProcessBus() };
  }
  // Loaded only when asked for, so the embedded default never touches pg.
  const { PostgresStore } = await import('./postgres/postgres-store.ts');
  const { PostgresBus } = await import('../bus/postgres.ts');
  const store = PostgresStore.fromUrl(databaseUrl);
  await store.migrate();
  const bus = new PostgresBus(databaseUrl);
  await bus.start();
  return { store, bus };
}
