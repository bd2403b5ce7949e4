/**
 * Transcript search in both stores finds what the customer wrote, whatever the script: words
 * with combining vowel signs (Devanagari, Thai) and the Turkish capital dotted I.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PostgresStore } from '../../src/store/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import type { Store } from '../../src/store/port.ts';
import { T0, alice, inbound } from './contract.ts';
import { TEST_DATABASE_URL, dropSchemas, postgresUnavailable, schemaName } from './postgres-harness.ts';

const unavailable = await postgresUnavailable();
const schemas = new Set<string>();

function searchSuite(name: string, make: () => Promise<Store>, skip: string | null = null): void {
  describe(`transcript search across scripts: ${name}`, { skip: skip ?? false }, () => {
    let store: Store;
    let n = 0;
    before(async () => {
      store = await make();
      await store.upsertAgent({ id: 'alice', name: 'Alice', role: 'agent' }, 10, T0);
    });
    after(async () => {
      await store?.close();
      if (name === 'PostgreSQL') await dropSchemas(schemas);
    });
    async function aliceHas(body: string): Promise<string> {
      const from = `+1555000${String(9000 + ++n)}`;
      const r = await store.recordInbound(inbound({ from, body, waId: from.slice(1) }));
      assert.ok(await store.createOffer(r.conversation.id, 'alice', T0 + 120_000, T0));
      return (await store.acceptOffer(r.conversation.id, 'alice', T0 + 1000)).id;
    }

    it('finds a Hindi word the customer wrote, typed as the customer wrote it (combining vowel signs)', async () => {
      const id = await aliceHas('मुझे मदद चाहिए');
      const hits = await store.searchMessages(alice, 'चाहिए', 10);
      assert.deepEqual(hits.map((h) => h.conversationId), [id]);
    });

    it('finds a Thai greeting the customer wrote', async () => {
      const id = await aliceHas('สวัสดีครับ พัสดุของผมยังไม่มาถึง');
      const hits = await store.searchMessages(alice, 'สวัสดีครับ', 10);
      assert.deepEqual(hits.map((h) => h.conversationId), [id]);
    });

    it('finds a Turkish city typed with its capital dotted I, as the customer wrote it', async () => {
      const id = await aliceHas('Kargom hâlâ İzmir şubesinde bekliyor');
      const hits = await store.searchMessages(alice, 'İzmir', 10);
      assert.deepEqual(hits.map((h) => h.conversationId), [id]);
    });
  });
}

searchSuite('SQLite', async () => {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  return store;
});

searchSuite(
  'PostgreSQL',
  async () => {
    const schema = schemaName('scripts');
    schemas.add(schema);
    const store = PostgresStore.fromUrl(TEST_DATABASE_URL, { schema, max: 2 });
    await store.migrate();
    return store;
  },
  unavailable,
);
