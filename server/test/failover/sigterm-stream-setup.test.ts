/**
 * A graceful shutdown ends every open event stream with a short `retry` hint, so the
 * server's close does not wait on them. Found by the rolling-restart test (an instance took
 * its 10 s forced exit, code 1): a stream still being set up when shutdown began — its
 * handler waiting on the store — was not among the open streams yet, was never ended, and
 * held the close. Here the store's answer is held until shutdown has begun.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startRelay, type TestRelay } from '../helpers/harness.ts';
import { sseFrames } from '../helpers/sse.ts';

describe('shutdown while an event stream is being set up', () => {
  let relay: TestRelay | undefined;
  after(async () => {
    await relay?.app.close().catch(() => undefined);
  });

  it('ends that stream too, with a retry hint, and closes promptly', async () => {
    relay = await startRelay();
    const { app, store } = relay;
    const token = await relay.token('sup-1', 'Sup', { role: 'supervisor' });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });

    // The first stream makes the hub read the latest event id: hold that answer.
    const latest = store.latestEventId.bind(store);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    store.latestEventId = async () => {
      await gate;
      return latest();
    };

    const res = await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${token}`, 'last-event-id': '0' } });
    assert.equal(res.status, 200);
    const frames: { event: string; retry: number | null }[] = [];
    const read = (async () => {
      for await (const f of sseFrames(res.body as unknown as AsyncIterable<Uint8Array>)) frames.push({ event: f.event, retry: f.retry });
    })();

    const closing = app.close();
    await new Promise((resolve) => setTimeout(resolve, 50)); // shutdown has begun
    release();
    const started = Date.now();
    const closed = await Promise.race([closing.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 3000))]);
    assert.ok(closed, 'the relay closed within 3 s');
    await read;
    assert.ok(frames.some((f) => f.retry === 500), `the stream was told to reconnect soon: ${JSON.stringify(frames)}`);
    assert.ok(Date.now() - started < 3000);
  });
});
