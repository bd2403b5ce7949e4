/**
 * The SQLite store's own thread (see worker-store.ts): owns the one connection and answers
 * the relay's calls in order. Calls that arrive together still share one group commit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from '../sqlite-store.ts';
import { toWireError, type StoreCall, type StoreReply } from './worker-protocol.ts';

const port = parentPort!;
const store = new SqliteStore((workerData as { path: string }).path);

port.on('message', (call: StoreCall) => {
  const method = store[call.method] as (...args: unknown[]) => Promise<unknown>;
  method.apply(store, call.args).then(
    (value) => port.postMessage({ id: call.id, ok: true, value } satisfies StoreReply),
    (error: unknown) => port.postMessage({ id: call.id, ok: false, error: toWireError(error) } satisfies StoreReply),
  );
});
