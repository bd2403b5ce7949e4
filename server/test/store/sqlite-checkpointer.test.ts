/** SQLite-only: the WAL is checkpointed on a thread of its own, not in the relay's commits. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { WalCheckpointer, WRITER_CHECKPOINT_PAGES } from '../../src/store/sqlite/wal-checkpointer.ts';
import { until } from '../helpers/processes.ts';
import { inbound, sid } from './contract.ts';

const PAGE = 4096;

/**
 * The log's frames and how many of them are already copied into the database file, read from the
 * WAL index (the -shm file, https://www.sqlite.org/walformat.html: mxFrame at byte 16 of the
 * header, nBackfill at byte 96), without checkpointing anything the way asking SQLite would.
 */
function logState(path: string): { log: number; checkpointed: number } {
  const shm = readFileSync(`${path}-shm`);
  return { log: shm.readUInt32LE(16), checkpointed: shm.readUInt32LE(96) };
}

describe('SQLite WAL checkpoints on their own thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wcp-checkpoint-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("copies the log into the database file without the relay's commits doing it, and keeps the log bounded", async () => {
    const path = join(dir, 'relay.db');
    const store = new SqliteStore(path);
    await store.migrate();
    const burst = (rounds: number) =>
      (async () => {
        for (let round = 0; round < rounds; round++) {
          await Promise.all(Array.from({ length: 50 }, (_, i) => store.recordInbound(inbound({ from: `+1555020${String(i).padStart(4, '0')}`, messageSid: sid() }))));
        }
      })();
    // Fewer pages than any checkpoint inside a commit waits for (SQLite's default is 1,000).
    await burst(10);
    assert.ok(logState(path).log < 1000);
    await until('the thread to copy the whole log into the database file', 5_000, () => {
      const { log, checkpointed } = logState(path);
      return log > 0 && checkpointed === log;
    });
    // Many more (the relay's connection never checkpointing, these grew the log to 20–60 MB): it
    // still starts over near its size limit. Past the limit, commits go on adding to the log while a
    // checkpoint is busy, a handful of them on a loaded machine: hence the half again of slack.
    await burst(200);
    const limit = WRITER_CHECKPOINT_PAGES * 1.5 * (PAGE + 24);
    assert.ok(statSync(`${path}-wal`).size <= limit, `log of ${statSync(`${path}-wal`).size} bytes, over ${limit}`);
    await store.close();
    assert.equal(existsSync(`${path}-wal`), false, "closing removes the log: the thread's connection closed first");

    const reopened = new SqliteStore(path);
    await reopened.migrate();
    assert.equal((await reopened.listConversations({ agentId: 'x', supervisor: true }, null, Date.now())).length, 50);
    await reopened.close();
  });

  it('tells its owner when the thread fails, so that SQLite checkpoints in the commits again', async () => {
    // The thread does not keep a process alive (a relay may exit): this test waits for it.
    const alive = setInterval(() => undefined, 50);
    const error = await new Promise<Error>((resolve) => new WalCheckpointer(join(dir, 'no-such-folder', 'relay.db'), resolve));
    clearInterval(alive);
    assert.match(error.message, /unable to open|directory does not exist|SQLITE_CANTOPEN/i);
  });
});
