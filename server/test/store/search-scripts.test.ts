/**
 * Transcript search in both stores finds what the customer wrote, whatever the script: words
 * with combining vowel signs (Devanagari, Thai), the Turkish capital dotted I, and words inside
 * Chinese, Japanese, Thai, Lao, Khmer and Myanmar sentences (no spaces between words); and the parts
 * of what agents look up — a domain inside an e-mail address or a link, the digits of an order
 * number — in both alike.
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

    // SQLite's tokenizer took a combining mark for a space: "चालान" (invoice) was indexed as "च",
    // "ल", "न", and "चुलबुल" as "च", "लब", "ल", so "चाल" ("च" then a word beginning "ल") found both.
    it('finds a Hindi word by its beginning, vowel signs included, and not words that only share its letters', async () => {
      const wanted = await aliceHas('कृपया चालान भेजें');
      await aliceHas('वह बहुत चुलबुल है');
      assert.deepEqual((await store.searchMessages(alice, 'चाल', 10)).map((h) => h.conversationId), [wanted]);
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

    // PostgreSQL's parser took "jane@example.com" and "https://example.com/order/42" as one
    // token each (email, url) and "ORD-2024-00042" as "ord", "-2024", "-00042": none of these
    // searches found anything there, while SQLite (and searchTerms) split them into words.
    it('finds an e-mail address by its domain, and shows the address whole', async () => {
      const id = await aliceHas('Please write to jane@mailhost.example about the refund');
      for (const query of ['mailhost', 'jane@mailhost.example', 'example']) {
        const hits = await store.searchMessages(alice, query, 10);
        assert.deepEqual(hits.map((h) => h.conversationId), [id], query);
        assert.match(hits[0]!.snippet, /jane@mailhost\.example/, query);
        assert.ok(!hits[0]!.snippet.includes('\u0001'), `no search mark left in the snippet: ${JSON.stringify(hits[0]!.snippet)}`);
      }
    });

    it('finds a link by its domain and by a word of its path', async () => {
      const id = await aliceHas('see https://shop.linkhost.test/order/90417 for the details');
      for (const query of ['linkhost', 'https', 'shop linkhost', '90417', 'order 90417']) {
        assert.deepEqual((await store.searchMessages(alice, query, 10)).map((h) => h.conversationId), [id], query);
      }
    });

    it('finds an order number by any of its parts', async () => {
      const id = await aliceHas('Order ORD-7731-00642 and parcel B-5519 are late');
      for (const query of ['7731', '00642', 'ORD-7731-00642', '5519', 'B-5519']) {
        assert.deepEqual((await store.searchMessages(alice, query, 10)).map((h) => h.conversationId), [id], query);
      }
    });

    it('shows the words around a match deep inside a long message', async () => {
      const id = await aliceHas(
        'Hello, thanks for waiting. I checked with the warehouse team and the courier this morning and they told me the parcel leaves tomorrow; if it does not, write to desk@farhost.example with the order number',
      );
      const hits = await store.searchMessages(alice, 'farhost', 10);
      assert.deepEqual(hits.map((h) => h.conversationId), [id]);
      assert.match(hits[0]!.snippet, /desk@farhost\.example/);
    });

    // Chinese and Japanese put no spaces between words: each Han or kana character is indexed
    // as a word of its own, and a typed word is found as its characters side by side.
    it('finds Japanese text by its beginning', async () => {
      const id = await aliceHas('「ご注文の配送について」お問い合わせです');
      assert.deepEqual((await store.searchMessages(alice, 'ご注文', 10)).map((h) => h.conversationId), [id]);
    });

    it('finds a word inside a Chinese or Japanese sentence, its characters side by side, with a snippet as written', async () => {
      const chinese = await aliceHas('我的包裹没有到，订单 ORD-2024 的物流信息也没有更新');
      const japanese = await aliceHas('ありがとうございます、荷物が届きました');
      const mixed = await aliceHas('My iPhone手机 screen cracked');
      const found = async (query: string) => (await store.searchMessages(alice, query, 10)).map((h) => h.conversationId);
      assert.deepEqual(await found('包裹'), [chinese]);
      assert.deepEqual(await found('物流 2024'), [chinese]);
      assert.deepEqual(await found('荷物'), [japanese]);
      assert.deepEqual(await found('届き'), [japanese]);
      assert.deepEqual(await found('手机'), [mixed]);
      assert.deepEqual(await found('iphone手机'), [mixed]);
      // Both characters are in the sentence, but not side by side: not the word searched for.
      assert.deepEqual(await found('包到'), []);
      // The message as the customer wrote it, without the index's marks: a short one whole (a
      // snippet counts characters here, so it shows twice as many).
      const [hit] = await store.searchMessages(alice, '荷物', 10);
      assert.equal(hit!.snippet, 'ありがとうございます、荷物が届きました');
      const [deep] = await store.searchMessages(alice, '更新', 10);
      assert.match(deep!.snippet, /物流信息也没有更新$/);
    });

    // Thai, Lao, Khmer and Myanmar put no spaces between words either, but their words are
    // several letters long: ICU's dictionaries find them. Before, a sentence was one word, found
    // only by its beginning.
    it('finds a word inside a Thai sentence, the customer\'s and the agent\'s, with the snippet as written', async () => {
      const id = await aliceHas('ขอบคุณค่ะ กล่องของฉันเสียหายตอนส่ง');
      const found = async (query: string) => (await store.searchMessages(alice, query, 10)).map((h) => h.conversationId);
      assert.deepEqual(await found('กล่อง'), [id], 'box');
      assert.deepEqual(await found('เสียหาย'), [id], 'damaged: two dictionary words side by side');
      assert.deepEqual(await found('ตอนส่ง'), [id], 'the last words');
      assert.deepEqual(await found('กล่องเสียหาย'), [], 'two words of the sentence, but not side by side');
      const [hit] = await store.searchMessages(alice, 'เสียหาย', 10);
      assert.equal(hit!.snippet, 'ขอบคุณค่ะ กล่องของฉันเสียหายตอนส่ง');

      const conversation = (await store.getConversation(id))!;
      await store.queueOutbound({ conversationId: id, agentId: 'alice', body: 'ขออภัยครับ เราจะตรวจสอบการจัดส่งให้', mediaId: null, template: null, replyToId: null, clientId: null, sender: conversation.businessPhone, now: T0 + 2000 });
      const reply = await store.searchMessages(alice, 'ตรวจสอบ', 10);
      assert.deepEqual(reply.map((h) => [h.conversationId, h.direction]), [[id, 'outbound']], "the agent's reply: check");
    });

    it('finds a word inside a Lao, Khmer or Myanmar sentence', async () => {
      const lao = await aliceHas('ຂ້ອຍຢາກໄດ້ຂໍ້ມູນ');
      const khmer = await aliceHas('ខ្ញុំចង់ដឹងអំពីការបញ្ជាទិញ');
      const myanmar = await aliceHas('ကျွန်တော့်ပစ္စည်းဘယ်တော့ရောက်မလဲ');
      const found = async (query: string) => (await store.searchMessages(alice, query, 10)).map((h) => h.conversationId);
      assert.deepEqual(await found('ຢາກໄດ້'), [lao], 'Lao: want');
      assert.deepEqual(await found('ចង់ដឹង'), [khmer], 'Khmer: want to know');
      assert.deepEqual(await found('ပစ္စည်း'), [myanmar], 'Myanmar: goods');
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
