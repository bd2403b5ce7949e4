// tsc emits only JavaScript; the SQL migrations are read at run time from beside the store
// modules, so copy them into the same place under dist/.
import { cpSync } from 'node:fs';

for (const store of ['sqlite', 'postgres']) {
  cpSync(new URL(`../src/store/${store}/migrations/`, import.meta.url), new URL(`../dist/store/${store}/migrations/`, import.meta.url), { recursive: true });
}
