import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { storeContract } from './contract.ts';
import { teamContract } from './team-contract.ts';

storeContract('SQLite', async () => {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  return store;
});

teamContract('SQLite', async () => {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  return store;
});
