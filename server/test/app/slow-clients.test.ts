import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';

/**
 * A client that sends its request a byte at a time must not hold a connection for ever: the
 * webhook routes are public and read the body before the signature can be checked.
 */
describe('slow clients', () => {
  let relay: TestRelay;
  let port: number;
  before(async () => {
    relay = await startRelay({ env: { REQUEST_TIMEOUT: '2s' } });
    await relay.app.listen({ port: 0, host: '127.0.0.1' });
    port = (relay.app.server.address() as { port: number }).port;
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  it('answers a body that does not arrive whole within REQUEST_TIMEOUT with 408 and closes the connection', async () => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    const started = Date.now();
    socket.write('POST /twilio/inbound HTTP/1.1\r\nHost: relay.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nB');
    // One byte every 300 ms: never idle long enough for an idle timeout to end it.
    const drip = setInterval(() => socket.writable && socket.write('o'), 300);
    try {
      const at = await Promise.race([closed, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('still open after 10 s')), 10_000))]);
      assert.match(answer, /^HTTP\/1\.1 408 /);
      assert.ok(at - started >= 2_000 && at - started < 5_000, `closed after ${at - started} ms`);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
  });

  it("leaves an agent's event stream open past it: the request arrived whole, the answer is what lasts", async () => {
    const token = await relay.token('alice', 'Alice');
    const controller = new AbortController();
    const r = await fetch(`http://127.0.0.1:${port}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    assert.equal(r.status, 200);
    const reader = r.body!.getReader();
    const ended = reader.read().then(async function more(chunk): Promise<boolean> {
      return chunk.done ? true : more(await reader.read());
    });
    const outcome = await Promise.race([ended, new Promise<false>((resolve) => setTimeout(() => resolve(false), 4_500))]);
    controller.abort();
    await ended.catch(() => undefined);
    assert.equal(outcome, false, 'the stream ended within 4.5 s');
  });

  it('still takes a request that arrives whole in time', async () => {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(r.status, 200);
  });
});
