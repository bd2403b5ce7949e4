/**
 * The SQLite store's own thread (see worker-store.ts): owns the one connection and answers
 * the relay's calls in order. Calls that arrive together still share one group commit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from '../sqlite-store.ts';
import { batchPoster, toWireError, type StoreCallBatch, type StoreReply, type StoreReplyBatch } from './worker-protocol.ts';

const port = parentPort!;
const store = new SqliteStore((workerData as { path: string }).path);

// Replies leave once the tick that produced them is over: a group commit resolves all its
// calls in one pass of the microtask queue, and process.nextTick runs after that queue drains.
const reply = batchPoster<StoreReply>(
  (replies) => port.postMessage(replies satisfies StoreReplyBatch),
  (flush) => process.nextTick(flush),
  // A value structured clone refuses fails its own call, not the thread.
  (refused, error) => port.postMessage([{ id: refused.id, ok: false, error: toWireError(error) }] satisfies StoreReplyBatch),
);

port.on('message', (calls: StoreCallBatch) => {
  // In the order the relay made them: the store's semantics (and its group commit) see the same sequence as before.
  for (const call of calls) {
    const method = store[call.method] as (...args: unknown[]) => Promise<unknown>;
    const failed = (error: unknown) => reply({ id: call.id, ok: false, error: toWireError(error) });
    try {
      method.apply(store, call.args).then((value) => reply({ id: call.id, ok: true, value }), failed);
    } catch (error) {
      // Thrown before its promise existed (a method not async all through): that call's error, not its batch-mates'.
      failed(error);
    }
  }
});
