/**
 * SQLite storage failing under a running relay (found by a storage audit): the database file
 * removed, its write lock held by another process. Readiness tells the truth, webhooks are
 * refused with 503 store_unavailable (Twilio redelivers) rather than acknowledged into a file
 * that is gone, and nothing acknowledged before is lost.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';
import { isStoreUnavailable } from '../../src/store/unavailable.ts';

describe('SQLite storage failing under a running relay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wcp-storage-'));
  let relay: TestRelay | undefined;
  after(async () => {
    await relay?.close().catch(() => undefined);
    closeFakeTwilio();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses webhooks with 503 and says not ready once the database file is removed, instead of acknowledging into the removed file', async () => {
    const path = join(dir, 'removed.db');
    relay = await startRelay({ dbPath: path });
    assert.equal((await relay.inbound({ From: 'whatsapp:+15550008001', Body: 'before' })).statusCode, 200);
    assert.equal((await relay.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);

    for (const file of [path, `${path}-wal`, `${path}-shm`]) unlinkSync(file);
    const refused = await relay.inbound({ From: 'whatsapp:+15550008001', Body: 'after' });
    assert.equal(refused.statusCode, 503, refused.body);
    assert.equal(refused.json().error, 'store_unavailable');
    const again = await relay.inbound({ From: 'whatsapp:+15550008002', Body: 'later' });
    assert.equal(again.statusCode, 503, 'nothing more is acknowledged');
    const ready = await relay.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    await relay.close();
    relay = undefined;
  });

  it('says not ready while another process holds the write lock past the busy timeout, and ready again once it lets go', { timeout: 30_000 }, async () => {
    const path = join(dir, 'locked.db');
    relay = await startRelay({ dbPath: path });
    assert.equal((await relay.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const locked = await relay.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(locked.statusCode, 503, 'a commit cannot be made now');
      other.exec('ROLLBACK');
      assert.equal((await relay.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
      assert.equal((await relay.inbound({ From: 'whatsapp:+15550008003', Body: 'after the lock' })).statusCode, 200);
    } finally {
      other.close();
    }
  });

  it('counts a full disk, an I/O error, a read-only file, a lock and a refusing PostgreSQL as the store being unavailable, not a defect', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY', 'SQLITE_BUSY', 'SQLITE_CANTOPEN', 'SQLITE_FILE_REPLACED', '55000', '53300', '53100', '25006', '57P01', 'ECONNREFUSED']) {
      assert.equal(isStoreUnavailable(Object.assign(new Error(code), { code })), true, code);
    }
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', '23505', '42601']) {
      assert.equal(isStoreUnavailable(Object.assign(new Error(code), { code })), false, code);
    }
    assert.equal(isStoreUnavailable(new Error('a defect')), false);
  });
});
