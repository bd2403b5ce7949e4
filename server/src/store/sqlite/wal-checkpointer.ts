/**
 * SQLite's WAL checkpoints on a thread of their own. Left to SQLite, a checkpoint runs inside
 * the commit that grows the log past 1,000 pages: on the relay's thread, copying ~4 MB into the
 * database file and syncing it, several times a second under load. Here a second connection on
 * a worker thread runs a PASSIVE checkpoint every 100 ms (it never waits for, nor blocks, the
 * relay's writes: https://www.sqlite.org/c3ref/wal_checkpoint_v2.html). Measured: +8–11 %
 * webhooks/s at full load, 5–11 MB more RSS (test/bench/README.md, "Twenty-first session").
 *
 * Durability does not depend on it: every commit is in the synced log before anyone is answered,
 * and a checkpoint cut short by a crash is finished by the next open.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const CHECKPOINT_EVERY_MS = 100;
/** How long close() waits for the thread's connection to close before ending the thread. */
const STOP_WAIT_MS = 2_000;

/**
 * The relay's own connection still checkpoints once the log holds this many pages. By then the
 * thread has copied nearly all of them, so it costs little, and it lets the log start again from
 * its beginning: SQLite rewinds the log only from the side of the connection that writes.
 */
export const WRITER_CHECKPOINT_PAGES = 2000;

// The thread's script, plain CommonJS given as source: no file to find beside either the built
// module or the TypeScript one (tests), and no loader for the thread to start.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
const every = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // The file busy a moment (a migration holding it), or the disk full or failing a moment (the
    // relay's own commits fail then too, and say so): the next round tries again. A thread that
    // ended on a full disk never came back once space was freed (a storage audit).
    if (error && /^SQLITE_(BUSY|LOCKED|FULL|IOERR)/.test(error.code || '')) return;
    clearInterval(every);
    throw error;
  }
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(every);
  db.close();
  parentPort.close();
});
`;

export class WalCheckpointer {
  private readonly thread: Worker;
  /** Settles when the thread has ended, by stop() or on its own. */
  private readonly ended: Promise<void>;
  private stopping = false;

  /** `failed`: the thread ended on its own (an error opening or checkpointing); the caller checkpoints itself again. */
  constructor(path: string, failed: (error: Error) => void) {
    this.thread = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { path, driver: createRequire(import.meta.url).resolve('better-sqlite3'), everyMs: CHECKPOINT_EVERY_MS },
    });
    // A relay with nothing else to do may exit: the checkpoints are not work anyone waits for.
    this.thread.unref();
    let error: Error | null = null;
    this.thread.on('error', (e) => (error = e));
    this.ended = new Promise((resolve) =>
      this.thread.once('exit', (code) => {
        if (!this.stopping) failed(error ?? new Error(`the WAL checkpoint thread exited with code ${code}`));
        resolve();
      }),
    );
  }

  /** Closes the thread's connection first, so that the relay's close is the last one and removes the log. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.thread.postMessage('stop');
    const late = setTimeout(() => void this.thread.terminate(), STOP_WAIT_MS);
    await this.ended;
    clearTimeout(late);
  }
}
