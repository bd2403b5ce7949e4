import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { PUBLIC_URL, closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';
import { SAMPLES } from '../fakes/media-samples.ts';

function multipart(filename: string, contentType: string, bytes: Uint8Array): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----wcp' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.from(bytes), tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The file name a client reads from Content-Disposition (RFC 6266: filename* wins over filename). */
function dispositionName(header: string | undefined): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]!.trim());
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(header);
  return plain ? plain[1]! : null;
}

describe('media', () => {
  let relay: TestRelay;
  let agent: string;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay({ env: { MEDIA_MAX_BYTES: String(64 * 1024) } });
    agent = await relay.availableAgent('alice');
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  const upload = (filename: string, contentType: string, bytes: Uint8Array) => {
    const { payload, headers } = multipart(filename, contentType, bytes);
    return relay.app.inject({ method: 'POST', url: '/api/v1/media', headers: { ...headers, authorization: `Bearer ${agent}` }, payload });
  };

  it('accepts a WhatsApp type checked by content, and sends it to Twilio at an expiring public URL', async () => {
    const id = await relay.activeConversation(agent, '+14155550100');
    const up = await upload('invoice.pdf', 'application/pdf', SAMPLES.pdf);
    assert.equal(up.statusCode, 201);
    assert.equal(up.json().contentType, 'application/pdf');
    const sent = await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, { mediaId: up.json().id, body: 'Your invoice' });
    assert.equal(sent.statusCode, 202);
    assert.equal(sent.json().media[0].contentType, 'application/pdf');
    await relay.app.relay.outbox.drain();
    const mediaUrl = relay.twilio.sent[0]!.mediaUrls[0]!;
    assert.ok(mediaUrl.startsWith(`${PUBLIC_URL}/media/`));
    const fetched = await relay.app.inject({ method: 'GET', url: mediaUrl.slice(PUBLIC_URL.length) });
    assert.equal(fetched.statusCode, 200);
    assert.equal(fetched.headers['content-type'], 'application/pdf');
    assert.deepEqual(new Uint8Array(fetched.rawPayload), SAMPLES.pdf);
    relay.clock.advance(25 * 3600_000);
    assert.equal((await relay.app.inject({ method: 'GET', url: mediaUrl.slice(PUBLIC_URL.length) })).statusCode, 404, 'the public URL expires');
  });

  it('limits uploads per agent with 429, as sends are limited, so a script cannot fill the disk', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 62; i++) codes.push((await upload(`photo-${i}.png`, 'image/png', SAMPLES.png)).statusCode);
    assert.equal(codes.filter((c) => c === 201).length, 60);
    assert.equal(codes.at(-1), 429);
    const bob = await relay.availableAgent('bob');
    const { payload, headers } = multipart('other.png', 'image/png', SAMPLES.png);
    const other = await relay.app.inject({ method: 'POST', url: '/api/v1/media', headers: { ...headers, authorization: `Bearer ${bob}` }, payload });
    assert.equal(other.statusCode, 201, "another agent's uploads are counted apart");
  });

  it('refuses a caption over the 1,024 characters WhatsApp shows under a file with 422 body_too_long, sending nothing', async () => {
    const id = await relay.activeConversation(agent, '+14155550105');
    const up = await upload('photo.png', 'image/png', SAMPLES.png);
    const tooLong = await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, { mediaId: up.json().id, body: 'a'.repeat(1025) });
    assert.equal(tooLong.statusCode, 422);
    assert.equal(tooLong.json().error, 'body_too_long');
    assert.match(tooLong.json().message, /caption .* at most 1024 characters; this one has 1025/);
    const fits = await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, { mediaId: up.json().id, body: 'a'.repeat(1024) });
    assert.equal(fits.statusCode, 202);
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.sent.length, 1);
    assert.equal(relay.twilio.sent[0]!.body, 'a'.repeat(1024));
  });

  it('gives Twilio a link that serves the file when a failed send is retried the next day', async () => {
    const customer = '+14155550104';
    const id = await relay.activeConversation(agent, customer);
    const up = await upload('invoice.pdf', 'application/pdf', SAMPLES.pdf);
    const sent = await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, { mediaId: up.json().id });
    // Twilio refuses the send (rotated credentials, say): it fails before reaching WhatsApp.
    relay.twilio.failNext(1, { status: 401, code: 20003, message: 'Authenticate' });
    await relay.app.relay.outbox.drain();
    const messages = async () => (await relay.api(agent, 'GET', `/api/v1/conversations/${id}/messages`)).json().items as { id: string; status: string }[];
    assert.equal((await messages()).find((m) => m.id === sent.json().id)?.status, 'failed');
    const attempts = relay.twilio.sent.length;

    // The next day the customer writes again (the window re-opens) and the agent presses Retry.
    relay.clock.advance(25 * 3600_000);
    assert.equal((await relay.inbound({ From: `whatsapp:${customer}`, Body: 'Did you send the invoice?' })).statusCode, 200);
    assert.equal((await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages/${sent.json().id}/retry`)).statusCode, 202);
    await relay.app.relay.outbox.drain();
    assert.equal(relay.twilio.sent.length, attempts + 1, 'Twilio took the retry');
    const mediaUrl = relay.twilio.sent.at(-1)!.mediaUrls[0]!;
    const fetched = await relay.app.inject({ method: 'GET', url: mediaUrl.slice(PUBLIC_URL.length) });
    assert.equal(fetched.statusCode, 200, `Twilio fetches ${mediaUrl} at the retry: ${fetched.statusCode} ${fetched.body}`);
    assert.deepEqual(new Uint8Array(fetched.rawPayload), SAMPLES.pdf);
  });

  it('names the file as the agent did, accents and Arabic script included, for Twilio and for the panel', async () => {
    const id = await relay.activeConversation(agent, '+14155550101');
    for (const [i, name] of ['Angebot für Müller.pdf', 'عرض سعر.pdf'].entries()) {
      const up = await upload(name, 'application/pdf', SAMPLES.pdf);
      assert.equal(up.statusCode, 201);
      assert.equal(up.json().filename, name);
      assert.equal((await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, { mediaId: up.json().id })).statusCode, 202);
      await relay.app.relay.outbox.drain();
      const toTwilio = await relay.app.inject({ method: 'GET', url: relay.twilio.sent[i]!.mediaUrls[0]!.slice(PUBLIC_URL.length) });
      assert.equal(toTwilio.statusCode, 200);
      assert.equal(dispositionName(toTwilio.headers['content-disposition'] as string), name, `to Twilio: ${toTwilio.headers['content-disposition']}`);
      const toPanel = await relay.api(agent, 'GET', `/api/v1/media/${up.json().id}`);
      assert.equal(dispositionName(toPanel.headers['content-disposition'] as string), name, `to the panel: ${toPanel.headers['content-disposition']}`);
    }
  });

  it('keeps a sent file in its conversation: the same upload sent in another one is refused, asking for a new upload', async () => {
    const first = await relay.activeConversation(agent, '+14155550102');
    const second = await relay.activeConversation(agent, '+14155550103');
    const up = await upload('invoice.pdf', 'application/pdf', SAMPLES.pdf);
    const mediaId = up.json().id as string;
    assert.equal((await relay.api(agent, 'POST', `/api/v1/conversations/${first}/messages`, { mediaId })).statusCode, 202);
    const sent = (await relay.api(agent, 'GET', `/api/v1/conversations/${first}/messages`)).json().items.at(-1);
    assert.equal((await relay.api(agent, 'POST', `/api/v1/conversations/${first}/messages`, { mediaId, body: 'Again' })).statusCode, 202, 'again in the same conversation');

    const elsewhere = await relay.api(agent, 'POST', `/api/v1/conversations/${second}/messages`, { mediaId });
    assert.equal(elsewhere.statusCode, 409);
    assert.equal(elsewhere.json().error, 'media_already_sent');
    assert.match(elsewhere.json().message, /upload it again/);
    assert.equal((await relay.api(agent, 'GET', `/api/v1/conversations/${second}/messages`)).json().items.filter((m: { direction: string }) => m.direction === 'outbound').length, 0);

    // The first conversation goes to Bob, who must see what the customer was sent.
    const bob = await relay.availableAgent('bob');
    assert.equal((await relay.api(agent, 'POST', `/api/v1/conversations/${first}/transfer`, { agentId: 'bob' })).statusCode, 202);
    assert.equal((await relay.api(bob, 'POST', `/api/v1/conversations/${first}/accept`)).statusCode, 200);
    const r = await relay.api(bob, 'GET', sent.media[0].url);
    assert.equal(r.statusCode, 200, `${r.statusCode} ${r.body}`);
    assert.deepEqual(new Uint8Array(r.rawPayload), SAMPLES.pdf);
  });

  it('refuses a file whose content is not an allowed type, whatever its name says', async () => {
    const r = await upload('photo.jpg', 'image/jpeg', SAMPLES.exe);
    assert.equal(r.statusCode, 415);
    assert.equal(r.json().error, 'media_type_not_allowed');
    const gif = await upload('anim.gif', 'image/gif', SAMPLES.gif);
    assert.equal(gif.statusCode, 415);
  });

  it('refuses a file posted raw, not as multipart, with 400 invalid_request saying so, keeping nothing', async () => {
    const r = await relay.app.inject({ method: 'POST', url: '/api/v1/media', headers: { authorization: `Bearer ${agent}`, 'content-type': 'image/png' }, payload: Buffer.from(SAMPLES.png) });
    assert.deepEqual([r.statusCode, r.json().error], [400, 'invalid_request']);
    assert.match(r.json().message, /image\/png/);
  });

  it('refuses an oversized file with 413 and a clear message', async () => {
    const big = new Uint8Array(65 * 1024);
    big.set(SAMPLES.png);
    const r = await upload('big.png', 'image/png', big);
    assert.equal(r.statusCode, 413);
    assert.match(r.json().message, /MB/);
  });

  it("streams inbound media from Twilio with the account's credentials, only to the agent who may see it", async () => {
    const mediaUrl = relay.twilio.addMedia('image/jpeg', SAMPLES.jpeg);
    await relay.inbound({ From: 'whatsapp:+14155550111', Body: '', NumMedia: '1', MediaUrl0: mediaUrl, MediaContentType0: 'image/jpeg' });
    await relay.app.relay.router.kick();
    const offered = (await relay.api(agent, 'GET', '/api/v1/conversations?state=open')).json().items[0];
    await relay.api(agent, 'POST', `/api/v1/conversations/${offered.id}/accept`);
    const message = (await relay.api(agent, 'GET', `/api/v1/conversations/${offered.id}/messages`)).json().items[0];
    assert.equal(message.media[0].contentType, 'image/jpeg');
    const r = await relay.api(agent, 'GET', message.media[0].url);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(new Uint8Array(r.rawPayload), SAMPLES.jpeg);
    const bob = await relay.availableAgent('bob');
    assert.equal((await relay.api(bob, 'GET', message.media[0].url)).statusCode, 404);
  });

  it("serves a customer's file of a type a browser would run (HTML, SVG, a header naming two types) as bytes to download, never as a page of the relay's", async () => {
    const page = new TextEncoder().encode('<script>alert(document.domain)</script>');
    // The last: one header naming two types, which a browser reads as its last (text/html).
    for (const [served, declared] of [['text/html', 'image/jpeg'], ['image/svg+xml', 'image/svg+xml'], ['image/png, text/html', 'image/png']] as const) {
      const mediaUrl = relay.twilio.addMedia(served, page);
      await relay.inbound({ From: 'whatsapp:+14155550112', Body: '', NumMedia: '1', MediaUrl0: mediaUrl, MediaContentType0: declared });
    }
    await relay.app.relay.router.kick();
    const offered = (await relay.api(agent, 'GET', '/api/v1/conversations?state=open')).json().items[0];
    await relay.api(agent, 'POST', `/api/v1/conversations/${offered.id}/accept`);
    const messages = (await relay.api(agent, 'GET', `/api/v1/conversations/${offered.id}/messages`)).json().items as { media: { url: string }[] }[];
    for (const m of messages) {
      const r = await relay.api(agent, 'GET', m.media[0]!.url);
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['content-type'], 'application/octet-stream');
      assert.match(String(r.headers['content-disposition']), /^attachment/);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
    }
  });

  it('never fetches inbound media from a host other than Twilio', async () => {
    await relay.inbound({ From: 'whatsapp:+14155550112', Body: '', NumMedia: '1', MediaUrl0: 'https://evil.example/steal', MediaContentType0: 'image/jpeg' });
    await relay.app.relay.router.kick();
    const offered = (await relay.api(agent, 'GET', '/api/v1/conversations?state=open')).json().items[0];
    const message = (await relay.api(agent, 'GET', `/api/v1/conversations/${offered.id}/messages`)).json().items[0];
    const r = await relay.api(agent, 'GET', message.media[0].url);
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().error, 'media_url_not_allowed');
  });
});
