/**
 * A graceful shutdown (SIGTERM) answers what is in flight and then closes promptly. Found by
 * the rolling-restart test, where an instance under load took its 10 s forced exit (code 1):
 * - a stream still being set up when shutdown began — its handler waiting on the store —
 *   was not among the open streams yet, was never ended, and held the close;
 * - a request answered after shutdown began left its connection open in keep-alive (the
 *   server closes only the connections idle when the close starts), holding the close for
 *   as long as the client kept it.
 * Here the store's answer is held until shutdown has begun.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startRelay, type TestRelay } from '../helpers/harness.ts';
import { sseFrames } from '../helpers/sse.ts';

/**
 * Holds `store[method]`'s answers until `release` is called; `entered` resolves once a call is
 * waiting (a fixed sleep instead was a flake on a loaded machine: the request had not reached
 * the store when shutdown began).
 */
function hold<K extends 'latestEventId' | 'ping'>(store: TestRelay['store'], method: K): { release: () => void; entered: Promise<void> } {
  const original = store[method].bind(store) as () => Promise<unknown>;
  let release!: () => void;
  let enter!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const entered = new Promise<void>((resolve) => (enter = resolve));
  (store as unknown as Record<K, () => Promise<unknown>>)[method] = async () => {
    enter();
    await gate;
    return original();
  };
  return { release, entered };
}

/** Resolves true if `closing` settles within `ms`. */
const within = (closing: Promise<unknown>, ms: number) =>
  Promise.race([closing.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('shutdown with work in flight', () => {
  let relay: TestRelay | undefined;
  afterEach(async () => {
    // A close that hangs (the bug) must not hang the suite: drop every connection.
    relay?.app.server.closeAllConnections();
    await relay?.app.close().catch(() => undefined);
  });

  it('ends that stream too, with a retry hint, and closes promptly', async () => {
    relay = await startRelay();
    const { app, store } = relay;
    const token = await relay.token('sup-1', 'Sup', { role: 'supervisor' });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });

    // The first stream makes the hub read the latest event id: hold that answer.
    const { release } = hold(store, 'latestEventId');

    const res = await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${token}`, 'last-event-id': '0' } });
    assert.equal(res.status, 200);
    const frames: { event: string; retry: number | null }[] = [];
    const read = (async () => {
      for await (const f of sseFrames(res.body as unknown as AsyncIterable<Uint8Array>)) frames.push({ event: f.event, retry: f.retry });
    })();

    const closing = app.close();
    await new Promise((resolve) => setTimeout(resolve, 50)); // shutdown has begun
    release();
    assert.ok(await within(closing, 3000), 'the relay closed within 3 s');
    await read;
    assert.ok(frames.some((f) => f.retry === 500), `the stream was told to reconnect soon: ${JSON.stringify(frames)}`);
  });

  it('answers a request in flight, then closes its kept-alive connection', async () => {
    relay = await startRelay();
    const { app, store } = relay;
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const { release, entered } = hold(store, 'ping');
    // fetch keeps connections alive, as Twilio's and the panel's clients do.
    const answer = fetch(`${url}/readyz`).then(async (res) => ({ status: res.status, body: await res.text() }));
    await entered; // the request waits on the store
    const closing = app.close();
    await new Promise((resolve) => setTimeout(resolve, 50)); // shutdown has begun
    release();
    assert.equal((await answer).status, 200, 'the request in flight was answered');
    assert.ok(await within(closing, 3000), 'the relay closed within 3 s');
  });
});
