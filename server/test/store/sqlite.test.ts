import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, it, type TestContext } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { inbound, storeContract, supervisor, T0 } from './contract.ts';
import { OUTBOX_LEASE_MS } from '../../src/outbox/pacing.ts';
import { assertNoIndexOnInboundColumns } from './inbound-indexes.ts';
import { teamContract } from './team-contract.ts';

/** The store's better-sqlite3 connection, for what only a schema test looks at. */
const connectionOf = (store: SqliteStore): Database.Database => (store as unknown as { database: { db: Database.Database } }).database.db;

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

describe('SQLite schema', () => {
  it('indexes no column of conversations that every inbound message changes', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const db = connectionOf(store);
    // Automatic indexes (the primary key) have no SQL: the key is id, which never changes.
    assertNoIndexOnInboundColumns(db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'conversations' AND sql IS NOT NULL`).all() as { name: string; sql: string }[]);
    await store.close();
  });
});

/** A migrated database in a file of its own (removed after the test), and a way to open it again as an upgraded relay would. */
async function databaseFile(t: TestContext): Promise<{ before: SqliteStore; reopen: () => Promise<SqliteStore> }> {
  const dir = mkdtempSync(join(tmpdir(), 'wcp-search-upgrade-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'relay.db');
  const before = new SqliteStore(path);
  await before.migrate();
  const reopen = async () => {
    const after = new SqliteStore(path);
    await after.migrate();
    return after;
  };
  return { before, reopen };
}

describe('SQLite transcript search index (migration 015)', () => {
  it('indexes again after an upgrade the Thai messages the old index took whole: a word inside a sentence is found', async (t) => {
    const { before, reopen } = await databaseFile(t);
    await before.recordInbound(inbound({ from: '+15550300201', body: 'ขอบคุณค่ะ กล่องของฉันเสียหายตอนส่ง' }));
    // The index as migration 014 left it: each body as written (no Thai here is Han or kana), up to date.
    const db = connectionOf(before);
    db.exec(`INSERT INTO messages_fts (messages_fts) VALUES ('delete-all'); INSERT INTO messages_fts (rowid, body) SELECT seq, body FROM messages;
      UPDATE search_index_mark SET indexed_seq = (SELECT MAX(seq) FROM messages); DELETE FROM schema_migrations WHERE version = '015_search_dictionary_scripts.sql';`);
    assert.equal((await before.searchMessages(supervisor, 'เสียหาย', 10)).length, 0, 'the old index does not find it');
    await before.close();

    const after = await reopen();
    assert.equal((await after.searchMessages(supervisor, 'เสียหาย', 10)).length, 1);
    assert.equal((await after.searchMessages(supervisor, 'ขอบคุณ', 10)).length, 1, 'indexed once');
    await after.close();
  });
});

describe('SQLite transcript search index (migration 014)', () => {
  it('indexes again, on its own after an upgrade, the messages the old index took whole: a Chinese word is found, every message once', async (t) => {
    const { before, reopen } = await databaseFile(t);
    const db = connectionOf(before);
    // The database as migration 013 left it: the index on the bodies as written, up to date.
    db.exec(`DROP TABLE messages_fts; DROP VIEW messages_search_text; DELETE FROM schema_migrations WHERE version = '014_search_unspaced_scripts.sql';
      CREATE VIRTUAL TABLE messages_fts USING fts5 (body, content = 'messages', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2');`);
    await before.recordInbound(inbound({ from: '+15550300101', body: '我的包裹没有到' }));
    await before.recordInbound(inbound({ from: '+15550300102', body: 'My parcel never arrived' }));
    db.exec(`INSERT INTO messages_fts (rowid, body) SELECT seq, body FROM messages; UPDATE search_index_mark SET indexed_seq = (SELECT MAX(seq) FROM messages);`);
    await before.close();

    const after = await reopen();
    assert.equal((await after.searchMessages(supervisor, '包裹', 10)).length, 1);
    assert.equal((await after.searchMessages(supervisor, 'parcel', 10)).length, 1, 'each message indexed once');
    await after.close();
  });
});

describe('SQLite relay started again with a send in flight', () => {
  it("takes the send again only once its lease lapses: the stopped process's request may still reach Twilio", async (t) => {
    const { before, reopen } = await databaseFile(t);
    await before.upsertAgent({ id: 'alice', name: 'Alice', role: 'agent' }, 3, T0);
    const { conversation } = await before.recordInbound(inbound({ from: '+15550300301', receivedAt: T0 }));
    await before.createOffer(conversation.id, 'alice', T0 + 120_000, T0);
    await before.acceptOffer(conversation.id, 'alice', T0 + 1);
    await before.queueOutbound({ conversationId: conversation.id, agentId: 'alice', body: 'On its way', mediaId: null, template: null, replyToId: null, clientId: null, sender: conversation.businessPhone, now: T0 + 2 });
    const [claimed] = await before.claimOutbox(T0 + 3, 10);
    assert.ok(claimed, 'in flight');
    // Killed mid-request (no close), then started again at once.
    const after = await reopen();
    t.after(() => after.close());
    assert.deepEqual(await after.claimOutbox(T0 + 4, 10), [], 'not while the request may still be on its way');
    const again = await after.claimOutbox(T0 + 3 + OUTBOX_LEASE_MS, 10);
    assert.equal(again.length, 1);
    assert.equal(again[0]!.inDoubtSince !== null, true, 'Twilio is asked first whether it has it');
  });
});
