/** Quick replies, agent scripts and simulator templates an empty store starts with. */
import { readFileSync } from 'node:fs';
const LIBRARY = new URL('../../seed/library.json', import.meta.url);
export async function seedLibrary(store) {
    const data = JSON.parse(readFileSync(LIBRARY, 'utf8'));
    await store.seedConfigData(data);
}
//# sourceMappingURL=seed.js.map