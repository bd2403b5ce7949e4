/** An SQLite database as a relay's first start leaves it (migrated), for what checks one without creating it: `npm run doctor`. */
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.ts';

/** Creates `relay.db` in `dir` and returns its DATABASE_URL. */
export async function startedRelayDatabase(dir: string): Promise<string> {
  const url = `sqlite:${join(dir, 'relay.db')}`;
  const { store, bus } = await openStore(url);
  await store.close();
  await bus.close();
  return url;
}
