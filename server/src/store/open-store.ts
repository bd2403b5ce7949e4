/**
 * Picks the Store and Bus from DATABASE_URL: `sqlite:<path>` (embedded default, one
 * process; the store on its own thread) or `postgres://...` (several instances, LISTEN/NOTIFY wake-ups).
 */
import { randomUUID } from 'node:crypto';
import { InProcessBus } from '../bus/in-process.ts';
import type { Bus } from '../bus/port.ts';
import type { Store } from './port.ts';
import { SqliteDatabase } from './sqlite/sqlite-database.ts';
import { openSqliteWorkerStore } from './sqlite-thread/worker-store.ts';

export async function openStore(databaseUrl: string): Promise<{ store: Store; bus: Bus }> {
  if (databaseUrl.startsWith('sqlite:')) {
    // On a thread of its own, so SQLite's synchronous work never stalls HTTP and SSE.
    const store = openSqliteWorkerStore(SqliteDatabase.pathFromUrl(databaseUrl));
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
