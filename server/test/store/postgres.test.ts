/**
 * The PostgreSQL Store: the shared contract suite, then what only matters with several
 * instances on one database — each "instance" here is its own PostgresStore (own pool).
 * Every run works in fresh schemas and drops them afterwards.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import pino from 'pino';
import { PostgresBus } from '../../src/bus/postgres.ts';
import { EventHub } from '../../src/events/hub.ts';
import { PostgresStore } from '../../src/store/postgres-store.ts';
import { parseWakeUp } from '../../src/store/postgres/wake-ups.ts';
import { SEARCH_DOCUMENT, tsPrefixQuery } from '../../src/store/postgres/pg-tx.ts';
import { backfillSearchText, type MigrationQuery } from '../../src/store/postgres/search-text-backfill.ts';
import { searchTerms } from '../../src/store/sql/search-terms.ts';
import type { OutboxItem, StoredEvent } from '../../src/store/port.ts';
import { SEND_INTERVAL_MS } from '../../src/outbox/pacing.ts';
import { inbound, sid, storeContract, supervisor } from './contract.ts';
import { assertNoIndexOnInboundColumns } from './inbound-indexes.ts';
import { teamContract } from './team-contract.ts';
import { TEST_DATABASE_URL, dropSchemas, postgresUnavailable, schemaName, urlForSchema } from './postgres-harness.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const unavailable = await postgresUnavailable();

describe('tsPrefixQuery', () => {
  it('makes every word a required prefix term and drops operators; a Chinese word is its characters side by side', () => {
    assert.equal(tsPrefixQuery(searchTerms('Parcel track')), 'parcel:* & track:*');
    assert.equal(tsPrefixQuery(searchTerms(`"; DROP TABLE messages; --`)), 'drop:* & table:* & messages:*');
    assert.equal(tsPrefixQuery(searchTerms('!& |:*')), null);
    assert.equal(tsPrefixQuery(searchTerms('包裹 iPhone手机')), '包 <-> 裹:* & iphone <-> 手 <-> 机:*');
  });
});

if (unavailable) {
  it('PostgreSQL store', { skip: unavailable }, () => undefined);
} else {
  const schemas = new Set<string>();
  const open = async (schema: string): Promise<PostgresStore> => {
    schemas.add(schema);
    const store = PostgresStore.fromUrl(TEST_DATABASE_URL, { schema, max: 6 });
    await store.migrate();
    return store;
  };
  /** A store migrated into a schema of its own, and a client of its own whose search_path is that schema; both closed after. */
  const inSchema = async (prefix: string, work: (store: PostgresStore, client: pg.Client, schema: string) => Promise<void>): Promise<void> => {
    const schema = schemaName(prefix);
    const store = await open(schema);
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`SET search_path TO ${schema}`);
      await work(store, client, schema);
    } finally {
      await client.end();
      await store.close();
    }
  };

  storeContract(
    'PostgreSQL',
    () => open(schemaName('contract')),
    () => dropSchemas(schemas),
  );
  // Its schemas are dropped with the next suite's.
  teamContract('PostgreSQL', () => open(schemaName('team')));

  describe('PostgreSQL schema', () => {
    it('indexes no column of conversations that every inbound message changes (a HOT update)', async () => {
      await inSchema('indexes', async (store, client, schema) => {
        const { rows } = await client.query<{ name: string; sql: string }>(`SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = $1 AND tablename = 'conversations'`, [schema]);
        assertNoIndexOnInboundColumns(rows);
      });
    });
  });

  describe('PostgreSQL transcript search index (migrations 008, 014, 016 and 017)', () => {
    it('upgrades a database searched through body_tsv, over builds cut short: earlier messages are found by their parts and their Chinese words, through the index', async () => {
      await inSchema('search', async (store, client, schema) => {
        await store.recordInbound(inbound({ body: 'Order ORD-5120-00777: write to ops@upgrade.example' }));
        await store.recordInbound(inbound({ body: '我的包裹没有到' }));
        await store.recordInbound(inbound({ body: 'ขอบคุณค่ะ กล่องของฉันเสียหายตอนส่ง' }));
        // The schema as migration 007 left it, plus indexes by the new names from builds that stopped.
        await client.query(`DROP INDEX messages_search_document`);
        await client.query(`ALTER TABLE messages DROP COLUMN search_text`);
        await client.query(`ALTER TABLE messages ADD COLUMN body_tsv tsvector GENERATED ALWAYS AS (to_tsvector('wcp_search', body)) STORED`);
        await client.query(`CREATE INDEX messages_search ON messages USING gin (body_tsv)`);
        await client.query(`CREATE INDEX messages_search_words ON messages (id)`);
        await client.query(`CREATE INDEX messages_search_text ON messages (id)`);
        await client.query(`CREATE INDEX messages_search_document ON messages (id)`);
        await client.query(`DELETE FROM schema_migrations WHERE version IN ('008_search_words.sql', '014_search_unspaced_scripts.sql', '016_message_search_text.sql', '017_search_dictionary_scripts.sql')`);

        await store.migrate();

        for (const query of ['upgrade', '5120', '00777', '包裹', 'เสียหาย']) assert.equal((await store.searchMessages(supervisor, query, 10)).length, 1, query);
        const columns = await client.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'messages' AND column_name = 'body_tsv'`, [schema]);
        assert.equal(columns.rowCount, 0, 'body_tsv is dropped');
        const kept = await client.query<{ body: string }>(`SELECT body FROM messages WHERE search_text IS NOT NULL`);
        assert.deepEqual(kept.rows.map((r) => r.body), ['ขอบคุณค่ะ กล่องของฉันเสียหายตอนส่ง'], 'search_text filled in for the Thai message only');
        const indexes = await client.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'messages_search%'`, [schema]);
        assert.deepEqual(indexes.rows.map((r) => r.indexname), ['messages_search_document'], 'one search index left');
        // The search's expression is the index's: the planner can answer from it.
        await client.query('SET enable_seqscan = off');
        const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT m.id FROM messages m WHERE ${SEARCH_DOCUMENT} @@ to_tsquery('wcp_search', 'upgrade:*')`);
        assert.match(plan.rows.map((r) => r['QUERY PLAN']).join('\n'), /messages_search_document/);
      });
    });

    it('fills in search_text for the Thai messages of a large table in batches, and a start cut short goes on where it stopped', async () => {
      await inSchema('backfill', async (store, client) => {
        const conversation = (await store.recordInbound(inbound({ body: 'first' }))).conversation;
        // 5,000 messages as an older relay stored them: every other one in Thai, none with search_text.
        await client.query(
          `INSERT INTO messages (id, conversation_id, direction, body, status, media, created_at)
           SELECT 'm_fill_' || n, $1, 'inbound', CASE WHEN n % 2 = 0 THEN 'กล่องเสียหาย ' || n ELSE 'parcel ' || n END, 'received', '[]', $2 FROM generate_series(1, 5000) AS n`,
          [conversation.id, T0],
        );
        const queries: string[] = [];
        const stopAfter = 2;
        const failing: MigrationQuery = async (text, values) => {
          if (text.startsWith('UPDATE') && queries.filter((q) => q.startsWith('UPDATE')).length === stopAfter) throw new Error('connection lost');
          queries.push(text);
          return client.query(text, values);
        };
        await assert.rejects(backfillSearchText(failing), /connection lost/);
        const filledBefore = await client.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE search_text IS NOT NULL`);
        assert.equal(Number(filledBefore.rows[0]!.n), 2000, 'two batches committed before the stop');

        const filled = await backfillSearchText((text, values) => client.query(text, values));
        assert.equal(filled, 500, 'the start after goes on from where it stopped');
        const { rows } = await client.query<{ n: string; parcels: string }>(
          `SELECT count(*) FILTER (WHERE search_text IS NOT NULL) AS n, count(*) FILTER (WHERE body LIKE 'parcel%' AND search_text IS NOT NULL) AS parcels FROM messages`,
        );
        assert.deepEqual([Number(rows[0]!.n), Number(rows[0]!.parcels)], [2500, 0]);
        assert.equal((await store.searchMessages(supervisor, 'เสียหาย 5000', 10)).length, 1);
      });
    });
  });

  describe('PostgreSQL across instances', () => {
    let a: PostgresStore;
    let b: PostgresStore;
    const schema = schemaName('multi');
    const viewerOf = (agentId: string) => ({ agentId, supervisor: false });

    before(async () => {
      schemas.add(schema);
      // Three instances starting at once: migrations queue on the advisory lock.
      const stores = await Promise.all([0, 1, 2].map(() => open(schema)));
      [a, b] = stores as [PostgresStore, PostgresStore];
      await stores[2]!.close();
      await a.upsertAgent({ id: 'alice', name: 'Alice', role: 'agent' }, 3, T0);
      await b.upsertAgent({ id: 'bob', name: 'Bob', role: 'agent' }, 3, T0);
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await dropSchemas(schemas);
    });

    it("counts one key's requests in one window shared by the instances, apart from other keys, and starts again after it", async () => {
      const counts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).countRequest('send:agent:alice', 60_000)));
      assert.deepEqual(counts.map((c) => c.count).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'each request counted once, wherever it landed');
      assert.ok(counts.every((c) => c.ttlMs > 0 && c.ttlMs <= 60_000), JSON.stringify(counts));
      assert.equal((await a.countRequest('send:agent:bob', 60_000)).count, 1, 'another key counts apart');
      assert.equal((await b.countRequest('upload:agent:alice', 60_000)).count, 1, 'another limit counts apart');
      // A window that has ended starts again from one.
      assert.equal((await a.countRequest('search:agent:alice', 1000)).count, 1);
      assert.equal((await b.countRequest('search:agent:alice', 1000)).count, 2);
      await delay(1100);
      const next = await b.countRequest('search:agent:alice', 1000);
      assert.equal(next.count, 1, 'a new window');
      assert.ok(next.ttlMs > 500 && next.ttlMs <= 1000, String(next.ttlMs));
    });

    it('forgets the counts whose window has ended, and only those: a live count keeps counting', async () => {
      await a.countRequest('dev-token:203.0.113.7', 200);
      await a.countRequest('dev-token:203.0.113.8', 200);
      await b.countRequest('send:agent:carol', 60_000);
      await b.countRequest('send:agent:carol', 60_000);
      await delay(300);
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      after(() => client.end());
      const keys = async () =>
        (await client.query<{ key: string }>(`SELECT key FROM "${schema}".request_limits WHERE key LIKE 'dev-token:%' OR key = 'send:agent:carol' ORDER BY key`)).rows.map((r) => r.key);
      assert.deepEqual(await keys(), ['dev-token:203.0.113.7', 'dev-token:203.0.113.8', 'send:agent:carol']);
      assert.ok((await a.forgetLapsedRequestLimits()) >= 2);
      assert.deepEqual(await keys(), ['send:agent:carol'], 'the two lapsed windows went');
      assert.equal((await a.countRequest('send:agent:carol', 60_000)).count, 3, 'the live window kept its count');
      assert.equal((await b.countRequest('dev-token:203.0.113.7', 200)).count, 1, 'a forgotten key starts a new window');
    });

    it('stores a webhook delivered to two instances at once once, in one conversation per customer', async () => {
      const from = '+447700900500';
      const deliveries = Array.from({ length: 20 }, (_, i) => inbound({ from, body: `message ${i}`, receivedAt: T0 + i }));
      const results = await Promise.all(deliveries.flatMap((d) => [a.recordInbound(d), b.recordInbound(d)]));
      for (const d of deliveries) {
        const mine = results.filter((r) => r.message.twilioSid === d.messageSid);
        assert.equal(mine.length, 2);
        assert.equal(mine.filter((r) => !r.duplicate).length, 1, 'one instance stores it, the other sees a duplicate');
        assert.equal(mine[0]!.message.id, mine[1]!.message.id);
      }
      const conversations = new Set(results.map((r) => r.conversation.id));
      assert.equal(conversations.size, 1, 'concurrent first messages end in one conversation');
      assert.equal(results.filter((r) => r.opened).length, 1);
      const page = await a.listMessages([...conversations][0]!, null, 100);
      assert.equal(page.items.length, 20);
      const events = await b.readEvents({ agentId: 'sue', supervisor: true }, 0, 1000);
      assert.equal(events.filter((e) => e.type === 'message').length, 20, 'one message event per stored message');
    });

    it('answers a webhook only once another instance can read it: after the group commit', async () => {
      const burst = Array.from({ length: 60 }, (_, i) => inbound({ from: `+4477009011${String(i % 20).padStart(2, '0')}`, receivedAt: T0 + i }));
      const seen = await Promise.all(
        burst.map((m) => a.recordInbound(m).then(async (r) => ({ r, there: await b.getMessage(r.message.id) }))),
      );
      for (const { r, there } of seen) assert.equal(there?.twilioSid, r.message.twilioSid, 'committed before it was answered');
    });

    it('stores each MessageSid once when both instances get every webhook, in opposite orders, across shared customers', async () => {
      const deliveries = Array.from({ length: 240 }, (_, i) => inbound({ from: `+4477009020${String(i % 12).padStart(2, '0')}`, body: `m${i}`, receivedAt: T0 + i }));
      const start = await a.latestEventId();
      const [onA, onB] = await Promise.all([
        Promise.all(deliveries.map((d) => a.recordInbound(d))),
        Promise.all([...deliveries].reverse().map((d) => b.recordInbound(d))),
      ]);
      const all = [...onA!, ...onB!];
      for (const d of deliveries) {
        const mine = all.filter((r) => r.message.twilioSid === d.messageSid);
        assert.equal(mine.filter((r) => !r.duplicate).length, 1, `${d.messageSid} stored by one instance`);
        assert.equal(new Set(mine.map((r) => r.message.id)).size, 1);
      }
      const conversations = new Set(all.map((r) => r.conversation.id));
      assert.equal(conversations.size, 12, 'one conversation per customer');
      let messages = 0;
      for (const id of conversations) messages += (await a.listMessages(id, null, 100)).items.length;
      assert.equal(messages, 240);
      const events = await b.readEvents({ agentId: 'sue', supervisor: true }, start, 5000);
      assert.equal(events.filter((e) => e.type === 'message').length, 240, 'one message event per stored message');
    });

    it('hands the writer its events with their ids, and tells the other instances in the same commit which is the newest', async () => {
      // What another instance's bus hears (bus/postgres.ts listens the same way).
      const listener = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await listener.connect();
      const heard: { upTo: number; readable: number }[] = [];
      const reads: Promise<void>[] = [];
      listener.on('notification', (n) => {
        const upTo = parseWakeUp(n.payload)!.upToEventId!;
        // The moment it is heard, the events it names can be read from any connection.
        reads.push(b.latestEventId().then((latest) => void heard.push({ upTo, readable: latest })));
      });
      await listener.query(`LISTEN wcp_${schema}`);
      try {
        const start = await a.latestEventId();
        const burst = Array.from({ length: 30 }, (_, i) => inbound({ from: `+4477009031${String(i % 10).padStart(2, '0')}`, receivedAt: T0 + i }));
        const results = await Promise.all(burst.map((m) => a.recordInbound(m)));
        const handed = results.flatMap((r) => r.events ?? []);
        assert.ok(results.every((r) => r.events && r.events.length > 0), 'each new message comes back with its events');
        const logged = await b.readEvents({ agentId: 'sue', supervisor: true }, start, 1000);
        assert.deepEqual(
          handed.map((e) => [e.id, e.type, e.agentId, e.data]).sort((x, y) => (x[0] as number) - (y[0] as number)),
          logged.map((e) => [e.id, e.type, e.agentId, e.data]),
          'the ids handed over are the ones in the log, for the same events',
        );
        const newest = logged.at(-1)!.id;
        for (let i = 0; i < 100 && !heard.some((h) => h.upTo === newest); i++) await new Promise((resolve) => setTimeout(resolve, 20));
        await Promise.all(reads);
        assert.ok(heard.some((h) => h.upTo === newest), 'the newest id was announced');
        for (const h of heard) assert.ok(h.readable >= h.upTo, `event ${h.upTo} was readable when announced`);
      } finally {
        await listener.end();
      }
    });

    it('carries a webhook’s events in its wake-up, as the log has them, so the other instance need not read them', async () => {
      const listener = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await listener.connect();
      const carried: StoredEvent[] = [];
      listener.on('notification', (n) => carried.push(...(parseWakeUp(n.payload)?.events ?? [])));
      await listener.query(`LISTEN wcp_${schema}`);
      try {
        const start = await a.latestEventId();
        for (let i = 0; i < 3; i++) await a.recordInbound(inbound({ from: `+44770090330${i}`, body: `Is it "in stock"? ${i}: yes/no`, receivedAt: T0 + i }));
        const logged = await b.readEvents({ agentId: 'sue', supervisor: true }, start, 1000);
        for (let i = 0; i < 100 && carried.length < logged.length; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.ok(logged.length >= 3);
        assert.deepEqual(carried, logged);
      } finally {
        await listener.end();
      }
    });

    it('commits events too big for a wake-up, announces their id alone, and the other instance reads them', async () => {
      const bus = new PostgresBus(urlForSchema(schema));
      await bus.start();
      const hub = new EventHub(b, bus, pino({ level: 'silent' }));
      const received: StoredEvent[] = [];
      await hub.subscribe({ viewer: { agentId: 'sue', supervisor: true }, deliver: (events) => received.push(...events) });
      try {
        // Characters of three bytes each, on both sides of PostgreSQL's 8000-byte payload, up to
        // 4,096 of them (WhatsApp's longest message): the message event alone is over it.
        const sent = [2200, 2350, 2450, 2550, 4096].map((n) => '€'.repeat(n)).concat('short');
        const wanted: number[] = [];
        for (const [i, body] of sent.entries()) wanted.push(...(await a.recordInbound(inbound({ from: `+44770090320${i}`, body, receivedAt: T0 }))).events!.map((e) => e.id));
        for (let i = 0; i < 100 && !wanted.every((id) => received.some((e) => e.id === id)); i++) await new Promise((resolve) => setTimeout(resolve, 20));
        const bodies = received.filter((e) => e.type === 'message').map((e) => (e.data as { message: { body: string } }).message.body);
        assert.deepEqual(bodies, sent, 'all delivered on the other instance, in order, in full');
      } finally {
        hub.stop();
        await bus.close();
      }
    });

    /**
     * A group of 31 webhooks, one of them `poison`, whose transaction `refuse` (SQL run on the
     * group's fresh schema) makes fail after every unit succeeded: nobody is acknowledged and
     * nothing is kept; Twilio's retries without the poisoned one are stored.
     */
    async function refusedGroupKeepsNothing(refuse: (schema: string) => string[], poison: string, reason: RegExp): Promise<void> {
      const c = await open(schemaName('groupfail'));
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      try {
        const schema = [...schemas].at(-1)!;
        for (const sql of refuse(schema)) await admin.query(sql);
        const start = await c.latestEventId();
        const burst = Array.from({ length: 30 }, (_, i) => inbound({ from: `+4477009030${String(i).padStart(2, '0')}` }));
        const poisoned = inbound({ from: '+447700903099', body: poison });
        const results = await Promise.allSettled([...burst.slice(0, 15), poisoned, ...burst.slice(15)].map((m) => c.recordInbound(m)));
        assert.equal(results.filter((r) => r.status === 'rejected').length, 31, 'nobody is acknowledged');
        for (const r of results) assert.match(String((r as PromiseRejectedResult).reason?.message), reason);
        assert.deepEqual(await c.listConversations({ agentId: 'sue', supervisor: true }, null, T0), [], 'nothing of the group was kept');
        assert.equal(await c.latestEventId(), start, 'and no event');
        // Twilio retries: without the poisoned one, the same webhooks are stored now.
        const retried = await Promise.all(burst.map((m) => c.recordInbound(m)));
        assert.ok(retried.every((r) => !r.duplicate));
      } finally {
        await admin.end();
        await c.close();
      }
    }

    it('refuses every webhook of a group whose COMMIT fails, and keeps none of them', async () => {
      // A deferred constraint trigger runs at COMMIT: one message with this body makes the
      // whole transaction fail there, after every unit of the group succeeded.
      await refusedGroupKeepsNothing(
        (schema) => [
          `CREATE FUNCTION ${schema}.refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'commit refused (test)'; END $$`,
          `CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON ${schema}.messages DEFERRABLE INITIALLY DEFERRED
           FOR EACH ROW WHEN (NEW.body = 'refuse the commit') EXECUTE FUNCTION ${schema}.refuse_commit()`,
        ],
        'refuse the commit',
        /commit refused/,
      );
    });

    it('refuses every webhook of a group whose events cannot be written, though COMMIT follows without waiting', async () => {
      // The group's events statement fails (a constraint on one message's event); the COMMIT
      // already sent behind it (pipeline mode) must commit nothing, and nobody may be told otherwise.
      await refusedGroupKeepsNothing(
        (schema) => [`ALTER TABLE ${schema}.events ADD CONSTRAINT refuse_events CHECK (data::text NOT LIKE '%refuse the events%') NOT VALID`],
        'refuse the events',
        /refuse_events/,
      );
    });

    it('lets one agent win an offer and accept it once, whichever instances they use', async () => {
      for (let i = 0; i < 10; i++) {
        const r = await a.recordInbound(inbound({ from: `+4477009006${String(i).padStart(2, '0')}` }));
        const id = r.conversation.id;
        const offers = await Promise.all([a.createOffer(id, 'alice', T0 + 120_000, T0), b.createOffer(id, 'bob', T0 + 120_000, T0)]);
        assert.equal(offers.filter(Boolean).length, 1, 'offered to one agent');
        const offered = offers[0] ? 'alice' : 'bob';
        const other = offered === 'alice' ? 'bob' : 'alice';
        const start = await a.latestEventId();
        const accepts = await Promise.allSettled([
          a.acceptOffer(id, offered, T0 + 10),
          b.acceptOffer(id, other, T0 + 10),
          b.acceptOffer(id, offered, T0 + 10),
        ]);
        assert.equal(accepts[0].status, 'fulfilled');
        assert.equal(accepts[2].status, 'fulfilled', 'accepting twice is harmless');
        assert.equal(accepts[1].status, 'rejected');
        assert.equal((accepts[1] as PromiseRejectedResult).reason.code, 'offer_not_yours');
        const c = await b.getConversation(id);
        assert.equal(c?.assignedAgentId, offered);
        const events = await a.readEvents(viewerOf(offered), start, 100);
        assert.deepEqual(events.map((e) => e.type).filter((t) => t !== 'queue'), ['offer_withdrawn', 'state'], 'the accept happened once');
      }
    });

    it('lets exactly one of two agents accept a transfer, and auto-closes once, across instances', async () => {
      for (const id of ['dan', 'erin']) {
        await a.upsertAgent({ id, name: id, role: 'agent' }, 10, T0);
        await a.setPresence(id, 'available', T0);
      }
      for (let i = 0; i < 5; i++) {
        const r = await a.recordInbound(inbound({ from: `+4477009008${String(i).padStart(2, '0')}` }));
        const id = r.conversation.id;
        await a.createOffer(id, 'alice', T0 + 120_000, T0);
        await a.acceptOffer(id, 'alice', T0 + 1);
        await b.transfer(id, { agentId: 'alice', supervisor: false, agentName: 'Alice' }, { agentId: 'dan', note: 'over to you' }, T0 + 120_000, T0 + 2);
        const accepts = await Promise.allSettled([a.acceptOffer(id, 'dan', T0 + 3), b.acceptOffer(id, 'erin', T0 + 3)]);
        assert.deepEqual(accepts.map((x) => x.status), ['fulfilled', 'rejected']);
        assert.equal((await b.getConversation(id))?.assignedAgentId, 'dan');
        await a.changeState(id, { agentId: 'dan', supervisor: false }, 'waiting', T0 + 4);
      }
      const [x, y] = await Promise.all([a.autoClose(3_600_000, T0 + 2 * 3_600_000), b.autoClose(3_600_000, T0 + 2 * 3_600_000)]);
      assert.equal(x.length + y.length, 5, 'each idle conversation closed once');
    });

    it('never claims one outbox item twice and paces each sender across instances', async () => {
      // Two replies to each of 120 customers: a customer's replies go one at a time, so a sender's pace shows across customers.
      const customers: string[] = [];
      for (let i = 0; i < 120; i++) {
        const c = await a.recordInbound(inbound({ from: `+4477009007${String(i).padStart(2, '0')}` }));
        await a.createOffer(c.conversation.id, 'alice', T0 + 120_000, T0);
        await a.acceptOffer(c.conversation.id, 'alice', T0 + 1);
        customers.push(c.conversation.id);
      }
      const senders = ['+14155238886', '+14155238887'];
      const queued = new Set<string>();
      for (let i = 0; i < 240; i++) {
        const store = i % 2 ? a : b;
        const { message } = await store.queueOutbound({
          conversationId: customers[i % 120]!,
          agentId: 'alice',
          body: `m${i}`,
          mediaId: null,
          template: null,
          replyToId: null,
          clientId: null,
          sender: senders[i % 3 === 0 ? 1 : 0]!,
          now: T0 + 100,
        });
        queued.add(message.id);
      }
      const claimed: OutboxItem[] = [];
      for (let now = T0 + 100; claimed.length < queued.size && now < T0 + 20_000; now += 250) {
        const rounds = await Promise.all([a.claimOutbox(now, 40), b.claimOutbox(now, 40), a.claimOutbox(now, 40), b.claimOutbox(now, 40)]);
        for (const item of rounds.flat()) {
          claimed.push(item);
          await (claimed.length % 2 ? a : b).recordSendResult(item.messageId, { kind: 'sent', sid: sid(), status: 'queued' }, now);
        }
      }
      const ids = claimed.map((x) => x.messageId);
      assert.equal(new Set(ids).size, ids.length, 'no item claimed twice');
      assert.deepEqual(new Set(ids), queued, 'every item claimed');
      for (const sender of senders) {
        const times = claimed.filter((x) => x.sender === sender).map((x) => x.sendAt).sort((p, q) => p - q);
        for (let i = 1; i < times.length; i++) {
          assert.ok(times[i]! - times[i - 1]! >= SEND_INTERVAL_MS - 0.01, `${sender}: slots ${times[i - 1]} and ${times[i]} closer than 12.5 ms`);
        }
        for (let i = 80; i < times.length; i++) assert.ok(times[i]! - times[i - 80]! >= 1000 - 0.1, 'at most 80 a second');
      }
      assert.equal(await a.nextOutboxDueAt(), null);
    });

    it('makes event ids visible in commit order, so a reader by cursor misses none', async () => {
      const supervisor = { agentId: 'sue', supervisor: true };
      const start = await a.latestEventId();
      const total = 300;
      const seen: number[] = [];
      let writing = true;
      const reader = (async () => {
        let cursor = start;
        for (;;) {
          // Once the writers are done, one more empty read means the reader is caught up.
          const last = !writing;
          const batch = await b.readEvents(supervisor, cursor, 50);
          for (const e of batch) seen.push(e.id);
          if (batch.length) cursor = batch.at(-1)!.id;
          else if (last) break;
          else await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      const writers = Array.from({ length: 12 }, async (_, w) => {
        for (let i = w; i < total; i += 12) {
          await (i % 2 ? a : b).appendEvent('presence', 'sue', { agentId: `w${w}`, presence: 'available' });
        }
      });
      await Promise.all(writers);
      writing = false;
      await reader;
      const all = (await a.readEvents(supervisor, start, 1000)).map((e) => e.id);
      assert.equal(all.length, total);
      assert.deepEqual(seen, all, 'the reader saw every event once, in id order');
    });
  });
}
