/**
 * The embedded store, run on a thread of its own. better-sqlite3 is synchronous: on the
 * relay's thread every statement and every fsynced COMMIT stopped HTTP parsing, signature
 * checks and SSE writes — under webhook load SQLite was half of that thread's time
 * (test/bench/README.md). Here the relay's thread posts each Store call to the store's
 * thread (sqlite-worker.ts), which runs an in-process SqliteStore — group commit included —
 * and posts the outcome back; both ways in batches (worker-protocol.ts, batchPoster). One thread owns the one connection, so SQLite's single-writer
 * rule and the store's semantics are exactly those of SqliteStore.
 */
import { Worker } from 'node:worker_threads';
import type { Store } from '../port.ts';
import { batchPoster, fromWireError, type StoreCall, type StoreCallBatch, type StoreMethod, type StoreReplyBatch } from './worker-protocol.ts';

/** Every Store method but close, named once: the compiler fails here if the port grows and this does not. */
const FORWARDED: Record<Exclude<StoreMethod, 'close'>, true> = {
  migrate: true, ping: true, metricGauges: true, upsertAgent: true, getAgent: true, setPresence: true, recordInbound: true, recordInboundReceipt: true, applyStatus: true,
  getConversation: true, listConversations: true, listCustomerConversations: true, listUnoffered: true, routingSnapshot: true,
  declinedBy: true, createOffer: true, expireOffers: true, acceptOffer: true, rejectOffer: true, changeState: true,
  setLinkedRecord: true, listMessages: true, getMessage: true, queueOutbound: true, requeueOutbound: true, claimOutbox: true,
  recordSendResult: true, nextOutboxDueAt: true, appendEvent: true, readEvents: true, latestEventId: true, addNote: true,
  listNotes: true, saveUpload: true, getMedia: true, getMediaBytes: true, getMediaByPublicToken: true, searchMessages: true,
  listQuickReplies: true, listScripts: true, listTemplates: true, seedConfigData: true, followEventsForCrm: true,
  claimCrmWrites: true, crmActivityInput: true, recordCrmWrite: true, listFailedCrmWrites: true,
  consentLog: true, latestInbound: true,
  // Team work: queues, transfer, consult, wrap-up
  autoClose: true, listQueues: true, putQueue: true, announceQueue: true, transfer: true, assign: true, startConsult: true, endConsult: true,
  supervisorOverview: true, listAgents: true,
};

/**
 * In production the thread runs dist's JavaScript. Under tsx (development, tests) it runs the
 * TypeScript source and must register tsx's loader itself: Node 20 passes neither `--import`
 * hooks nor a `--import` flag in execArgv on to a thread's module loader.
 */
function startThread(path: string): Worker {
  const options = { workerData: { path }, resourceLimits: THREAD_LIMITS };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sqlite-worker.js', import.meta.url), options);
  const source = new URL('./sqlite-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`, { ...options, eval: true });
}

/**
 * The store's thread keeps little: rows become plain objects and leave at once. A small young
 * generation keeps its heap near that: V8's default let it grow 7.5 MB more at the memory
 * bench's peak (test/bench/README.md). Old space is a cap. Note: a process-wide
 * `--max-semi-space-size` (npm start passes 4) overrides maxYoungGenerationSizeMb, so under
 * `npm start` this thread's new space is 8 MB, not 4 (test/bench/README.md, "Relay RSS").
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 256 };

/** A Store whose SQLite connection lives on its own thread. `path` is the database file. */
export function openSqliteWorkerStore(path: string): Store {
  const worker = startThread(path);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let stopped: Error | null = null;

  // The thread died (a native crash, out of memory): fail what waits and everything after,
  // loudly — /healthz pings the store, so the process is seen as unhealthy and restarted.
  const fail = (error: Error) => {
    stopped ??= error;
    for (const call of pending.values()) call.reject(stopped);
    pending.clear();
  };
  worker.on('message', (replies: StoreReplyBatch) => {
    for (const reply of replies) {
      const call = pending.get(reply.id);
      if (!call) continue;
      pending.delete(reply.id);
      if (reply.ok) call.resolve(reply.value);
      else call.reject(fromWireError(reply.error));
    }
  });
  worker.on('error', (error) => fail(new Error(`The SQLite store's thread failed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => fail(new Error(`The SQLite store's thread stopped (exit code ${code}).`)));

  const settle = (id: number, error: Error) => {
    const call = pending.get(id);
    pending.delete(id);
    call?.reject(error);
  };
  // Every call made in one turn of the event loop leaves in one message, when the turn's I/O
  // callbacks are done (setImmediate): under webhook load that is the webhooks of all the
  // requests read in that turn, which the store's thread then commits as one group anyway.
  const send = batchPoster<StoreCall>(
    (calls) => {
      if (stopped) for (const call of calls) settle(call.id, stopped);
      else worker.postMessage(calls satisfies StoreCallBatch);
    },
    (flush) => setImmediate(flush),
    // Arguments structured clone refuses (DataCloneError) fail that call alone, as a direct postMessage did.
    (refused, error) => settle(refused.id, error instanceof Error ? error : new Error(String(error))),
  );

  const call = (method: StoreMethod, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (stopped) return reject(stopped);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      send({ id, method, args });
    });

  const methods = Object.fromEntries(Object.keys(FORWARDED).map((method) => [method, (...args: unknown[]) => call(method as StoreMethod, args)]));
  return {
    ...methods,
    kind: 'sqlite',
    async close() {
      if (stopped) return;
      // The store's close commits a group still queued; then the thread has nothing left to run.
      await call('close', []);
      stopped = new Error('The store is closed.');
      await worker.terminate();
    },
  } as unknown as Store;
}
