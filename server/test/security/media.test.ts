/**
 * Media, at the route level (the pure fetcher is in test/twilio/twilio-media.test.ts):
 * inbound media URLs and Twilio's redirects cannot point the relay at other hosts or the
 * cloud metadata address; uploads are judged by their bytes; a streamed upload far over
 * MEDIA_MAX_BYTES is refused with 413 while it is still arriving.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, beforeEach, describe, it } from 'node:test';
import { http } from 'msw';
import { FAKE_ACCOUNT_SID } from '../fakes/twilio-api.ts';
import { SAMPLES } from '../fakes/media-samples.ts';
import { closeFakeTwilio, fakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';
import { rowCounts } from '../helpers/row-counts.ts';

const MAX = 64 * 1024;

describe('media: SSRF, content checks and streamed size limits', () => {
  let relay: TestRelay;
  let agent: string;
  const seen: string[] = [];
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay({ env: { MEDIA_MAX_BYTES: String(MAX) } });
    agent = await relay.availableAgent('alice');
    seen.length = 0;
    fakeTwilio().server.events.removeAllListeners('request:start');
    fakeTwilio().server.events.on('request:start', ({ request }) => void seen.push(request.url));
  });
  after(async () => {
    await relay?.close();
    fakeTwilio().server.resetHandlers();
    closeFakeTwilio();
  });

  async function inboundMediaPath(mediaUrl: string): Promise<string> {
    const r = await relay.inbound({ From: 'whatsapp:+14155550123', Body: '', NumMedia: '1', MediaUrl0: mediaUrl, MediaContentType0: 'image/jpeg' });
    assert.equal(r.statusCode, 200);
    await relay.app.relay.router.kick();
    const offered = (await relay.api(agent, 'GET', '/api/v1/conversations?state=open')).json().items[0];
    const messages = (await relay.api(agent, 'GET', `/api/v1/conversations/${offered.id}/messages`)).json().items;
    return messages.at(-1).media[0].url as string;
  }

  it('never requests a non-Twilio media URL from a webhook (metadata address, other hosts, tricks)', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      `http://169.254.169.254/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages/MM${'a'.repeat(32)}/Media/ME${'b'.repeat(32)}`,
      `https://api.twilio.com@169.254.169.254/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages/MM${'a'.repeat(32)}/Media/ME${'b'.repeat(32)}`,
      'http://127.0.0.1:22/',
      'https://api.twilio.com.evil.example/x',
    ]) {
      const path = await inboundMediaPath(url);
      const r = await relay.api(agent, 'GET', path);
      assert.equal(r.statusCode, 422, url);
      assert.equal(r.json().error, 'media_url_not_allowed');
      assert.ok(r.json().message.length > 10);
    }
    assert.deepEqual(seen, [], 'no request left the relay');
  });

  it("refuses Twilio's redirect to another host or the metadata address, sending no credentials there", async () => {
    const mediaUrl = relay.twilio.addMedia('image/jpeg', SAMPLES.jpeg);
    for (const location of ['http://169.254.169.254/latest/meta-data/', 'https://evil.example/steal', 'http://media.twiliocdn.com/x', 'https://media.twiliocdn.com.evil.example/x']) {
      fakeTwilio().server.use(http.get(mediaUrl, () => new Response(null, { status: 302, headers: { location } })));
      const path = await inboundMediaPath(mediaUrl);
      seen.length = 0;
      const r = await relay.api(agent, 'GET', path);
      assert.equal(r.statusCode, 422, location);
      assert.equal(r.json().error, 'media_redirect_not_allowed');
      assert.deepEqual(seen, [mediaUrl], `only Twilio's API was asked (${location})`);
      fakeTwilio().server.resetHandlers();
    }
  });

  it('judges uploads by their bytes: HTML, SVG and scripts named as images are 415 and stored nowhere', async () => {
    const upload = (filename: string, type: string, bytes: Uint8Array) => {
      const boundary = 'b' + Math.random().toString(16).slice(2);
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
        Buffer.from(bytes),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return relay.app.inject({ method: 'POST', url: '/api/v1/media', headers: { authorization: `Bearer ${agent}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    };
    const before = rowCounts(relay.store);
    for (const [name, type, text] of [
      ['photo.png', 'image/png', '<html><script>alert(1)</script></html>'],
      ['logo.jpg', 'image/jpeg', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
      ['doc.pdf', 'application/pdf', '#!/bin/sh\nrm -rf /\n'],
      ['x.png', 'image/png', ''],
    ] as const) {
      const r = await upload(name, type, new TextEncoder().encode(text));
      assert.equal(r.statusCode, 415, `${name}: ${r.body}`);
      assert.equal(r.json().error, 'media_type_not_allowed');
    }
    // A real PNG named .pdf is refused too: the name must match the content.
    assert.equal((await upload('invoice.pdf', 'application/pdf', SAMPLES.png)).statusCode, 415);
    assert.deepEqual(rowCounts(relay.store), before);
    assert.equal((await upload('ok.png', 'image/png', SAMPLES.png)).statusCode, 201);
  });

  it('refuses a streamed upload far over MEDIA_MAX_BYTES with 413 while it is still being sent', async () => {
    const base = await relay.app.listen({ port: 0, host: '127.0.0.1' });
    const url = new URL('/api/v1/media', base);
    const boundary = 'streamedboundary';
    const total = 64 * 1024 * 1024; // 1000 × the limit
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    chunk.set(SAMPLES.png);
    const before = rowCounts(relay.store);
    const result = await new Promise<{ status: number; body: string; sentWhenAnswered: number }>((resolve, reject) => {
      let sent = 0;
      let answered: { status: number; sentWhenAnswered: number } | null = null;
      const req = httpRequest(url, { method: 'POST', headers: { authorization: `Bearer ${agent}`, 'content-type': `multipart/form-data; boundary=${boundary}` } }, (res) => {
        answered = { status: res.statusCode ?? 0, sentWhenAnswered: sent };
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          req.destroy();
          resolve({ ...answered!, body });
        });
      });
      req.on('error', (error) => (answered ? undefined : reject(error)));
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.png"\r\nContent-Type: image/png\r\n\r\n`);
      const pump = () => {
        while (!answered && sent < total) {
          sent += chunk.byteLength;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) req.end(`\r\n--${boundary}--\r\n`);
      };
      pump();
    });
    assert.equal(result.status, 413, result.body);
    assert.equal(JSON.parse(result.body).error, 'media_too_large');
    assert.ok(result.sentWhenAnswered < total / 4, `answered after ${result.sentWhenAnswered} of ${total} bytes`);
    assert.deepEqual(rowCounts(relay.store), before);
  });
});
