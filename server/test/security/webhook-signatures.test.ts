/**
 * Twilio's signature cases through the real routes (app.inject), complementing the pure
 * vectors in test/twilio/signature.test.ts: each valid request is accepted and stored,
 * the same request with one byte changed is refused with 403 and writes nothing, and a
 * replay of an old valid request is harmless.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { signTwilioRequest } from '../../src/twilio/signature.ts';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, twilioSid } from '../fakes/twilio-api.ts';
import { BUSINESS, closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';
import { conversationRow, rowCounts } from '../helpers/row-counts.ts';

type Params = Record<string, string | string[]>;

function inboundParams(over: Record<string, string> = {}): Record<string, string> {
  const sid = twilioSid('SM');
  return {
    MessageSid: sid,
    SmsMessageSid: sid,
    AccountSid: FAKE_ACCOUNT_SID,
    From: 'whatsapp:+14155550100',
    To: `whatsapp:${BUSINESS}`,
    Body: 'Hello',
    NumMedia: '0',
    ProfileName: 'Customer',
    ...over,
  };
}

/** Form encoding with repeated keys kept, as Twilio sends arrays. */
function form(params: Params): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) out.append(key, v);
  return out.toString();
}

/** Flips one byte of a string (keeps it ASCII-printable where it was). */
function oneByteChanged(text: string, at = Math.floor(text.length / 2)): string {
  const bytes = Buffer.from(text, 'utf8');
  bytes[at] = bytes[at]! === 0x41 ? 0x42 : 0x41;
  return bytes.toString('utf8');
}

async function withRelay(publicUrl: string, fn: (relay: TestRelay) => Promise<void>): Promise<void> {
  const relay = await startRelay({ env: { PUBLIC_URL: publicUrl } });
  try {
    await fn(relay);
  } finally {
    await relay.close();
  }
}

function post(relay: TestRelay, path: string, payload: string, signature: string | undefined, headers: Record<string, string> = {}) {
  return relay.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === undefined ? {} : { 'x-twilio-signature': signature }), ...headers },
    payload,
  });
}

/** A valid request is stored; the same request with one byte of its body changed is 403 and writes nothing. */
async function acceptedThenTampered(relay: TestRelay, path: string, signedUrl: string, params: Params, headers: Record<string, string> = {}) {
  const signature = signTwilioRequest(FAKE_AUTH_TOKEN, signedUrl, params);
  const payload = form(params);
  const sid = twilioSid('SM');
  const tampered: Params = { ...params, MessageSid: sid, SmsMessageSid: sid };
  const before = rowCounts(relay.store);
  const bad = await post(relay, path, form(tampered), signature, headers);
  assert.equal(bad.statusCode, 403, `tampered MessageSid: ${bad.body}`);
  const flipped = await post(relay, path, oneByteChanged(payload), signature, headers);
  assert.equal(flipped.statusCode, 403, 'one byte of the body changed');
  assert.deepEqual(rowCounts(relay.store), before, 'a refused webhook writes nothing');
  const ok = await post(relay, path, payload, signature, headers);
  assert.equal(ok.statusCode, 200, ok.body);
  return ok;
}

describe('webhook signatures through the routes', () => {
  after(() => closeFakeTwilio());

  it('default https port: signed with or without :443, refused when one byte changes', async () => {
    await withRelay('https://relay.example.com', async (relay) => {
      await acceptedThenTampered(relay, '/twilio/inbound', 'https://relay.example.com/twilio/inbound', inboundParams());
      await acceptedThenTampered(relay, '/twilio/inbound', 'https://relay.example.com:443/twilio/inbound', inboundParams());
      const wrongPort = signTwilioRequest(FAKE_AUTH_TOKEN, 'https://relay.example.com:8443/twilio/inbound', inboundParams());
      assert.equal((await post(relay, '/twilio/inbound', form(inboundParams()), wrongPort)).statusCode, 403);
    });
  });

  it('non-default port: signed with that port; another port or scheme is refused', async () => {
    await withRelay('http://relay.example.com:8080', async (relay) => {
      await acceptedThenTampered(relay, '/twilio/inbound', 'http://relay.example.com:8080/twilio/inbound', inboundParams());
      for (const other of ['http://relay.example.com:8081/twilio/inbound', 'https://relay.example.com:8080/twilio/inbound', 'http://relay.example.org:8080/twilio/inbound']) {
        const params = inboundParams();
        assert.equal((await post(relay, '/twilio/inbound', form(params), signTwilioRequest(FAKE_AUTH_TOKEN, other, params))).statusCode, 403, other);
      }
    });
  });

  it('behind a reverse proxy: PUBLIC_URL (with a path prefix) is verified; X-Forwarded-* change nothing', async () => {
    await withRelay('https://crm.example.com/whatsapp-relay', async (relay) => {
      const forwarded = { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'internal-lb:3000', 'x-forwarded-for': '10.0.0.7', host: 'internal-lb:3000' };
      // Twilio signed the public address; the proxy forwards /twilio/inbound with its own headers.
      await acceptedThenTampered(relay, '/twilio/inbound', 'https://crm.example.com/whatsapp-relay/twilio/inbound', inboundParams(), forwarded);
      // A request signed for the forwarded address is not what Twilio signs: refused.
      for (const url of ['http://internal-lb:3000/twilio/inbound', 'https://crm.example.com/twilio/inbound', 'http://crm.example.com/whatsapp-relay/twilio/inbound']) {
        const params = inboundParams();
        const r = await post(relay, '/twilio/inbound', form(params), signTwilioRequest(FAKE_AUTH_TOKEN, url, params), forwarded);
        assert.equal(r.statusCode, 403, url);
      }
      // Forged forwarding headers cannot make a wrong signature right.
      const params = inboundParams();
      const evil = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example', host: 'evil.example' };
      const forEvil = signTwilioRequest(FAKE_AUTH_TOKEN, 'https://evil.example/twilio/inbound', params);
      assert.equal((await post(relay, '/twilio/inbound', form(params), forEvil, evil)).statusCode, 403);
    });
  });

  it('query strings are part of what is signed, kept exactly (apostrophes, escapes)', async () => {
    await withRelay('https://relay.example.com', async (relay) => {
      const path = "/twilio/inbound?tenant=o'brien&x=%C3%A9&empty=";
      await acceptedThenTampered(relay, path, `https://relay.example.com${path}`, inboundParams());
      const params = inboundParams();
      const withoutQuery = signTwilioRequest(FAKE_AUTH_TOKEN, 'https://relay.example.com/twilio/inbound', params);
      assert.equal((await post(relay, path, form(params), withoutQuery)).statusCode, 403, 'the query was signed too');
      const signed = signTwilioRequest(FAKE_AUTH_TOKEN, `https://relay.example.com${path}`, params);
      assert.equal((await post(relay, path.replace('brien', 'brian'), form(params), signed)).statusCode, 403, 'one byte of the query changed');
    });
  });

  it('repeated parameters: signed as Twilio does (each value, sorted); a repeated Twilio field is a 400, not a crash', async () => {
    await withRelay('https://relay.example.com', async (relay) => {
      const url = 'https://relay.example.com/twilio/inbound';
      await acceptedThenTampered(relay, '/twilio/inbound', url, { ...inboundParams(), Extra: ['b', 'a', 'b'] });
      const params: Params = { ...inboundParams(), Extra: ['b', 'a'] };
      const signature = signTwilioRequest(FAKE_AUTH_TOKEN, url, params);
      assert.equal((await post(relay, '/twilio/inbound', form({ ...params, Extra: ['b'] }), signature)).statusCode, 403, 'a value dropped');
      const before = rowCounts(relay.store);
      const repeated: Params = { ...inboundParams(), Body: ['one', 'two'] };
      const r = await post(relay, '/twilio/inbound', form(repeated), signTwilioRequest(FAKE_AUTH_TOKEN, url, repeated));
      assert.equal(r.statusCode, 400);
      assert.match(r.json().message, /Body appears more than once/);
      assert.deepEqual(rowCounts(relay.store), before);
    });
  });

  it('unicode, emoji and apostrophes in the body and profile name are verified and stored exactly', async () => {
    await withRelay('https://relay.example.com', async (relay) => {
      const text = "It's 😀 — ça va? 你好 ‘quoted’ \"double\" <b>&amp;</b> + = % &";
      const params = inboundParams({ Body: text, ProfileName: "D'Angelo Ñúñez 👩🏽‍💻" });
      await acceptedThenTampered(relay, '/twilio/inbound', 'https://relay.example.com/twilio/inbound', params);
      const stored = await relay.store.getMessage((await relay.store.listMessages((await findConversation(relay))!, null, 10)).items[0]!.id);
      assert.equal(stored?.body, text);
      const curly = { ...params, Body: text.replace("It's", 'It’s') };
      const signature = signTwilioRequest(FAKE_AUTH_TOKEN, 'https://relay.example.com/twilio/inbound', params);
      assert.equal((await post(relay, '/twilio/inbound', form(curly), signature)).statusCode, 403, 'a straight apostrophe made curly');
    });
  });

  it('JSON bodies signed through bodySHA256: accepted when valid, refused when one byte or the hash changes', async () => {
    await withRelay('https://relay.example.com', async (relay) => {
      const json = (body: object, pathBase: string) => {
        const raw = JSON.stringify(body);
        const hash = createHash('sha256').update(raw).digest('hex');
        const path = `${pathBase}${pathBase.includes('?') ? '&' : '?'}bodySHA256=${hash}`;
        // The JSON body is not part of the signed string: the URL (with its hash) is.
        const signature = createHmac('sha1', FAKE_AUTH_TOKEN).update(`https://relay.example.com${path}`).digest('base64');
        return { raw, path, signature };
      };
      const send = (path: string, raw: string, signature: string) =>
        relay.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', 'x-twilio-signature': signature }, payload: raw });

      const inbound = json(inboundParams({ Body: 'via JSON — ok' }), '/twilio/inbound');
      const before = rowCounts(relay.store);
      assert.equal((await send(inbound.path, oneByteChanged(inbound.raw, 20), inbound.signature)).statusCode, 403, 'one body byte changed');
      assert.equal((await send(inbound.path.replace(/bodySHA256=(.)/, (_, first: string) => `bodySHA256=${first === '0' ? '1' : '0'}`), inbound.raw, inbound.signature)).statusCode, 403, 'hash changed');
      assert.equal((await send(inbound.path.replace(/\?bodySHA256=\w+/, ''), inbound.raw, inbound.signature)).statusCode, 403, 'no hash');
      assert.deepEqual(rowCounts(relay.store), before);
      assert.equal((await send(inbound.path, inbound.raw, inbound.signature)).statusCode, 200);
      assert.equal(rowCounts(relay.store).messages, before.messages! + 1);

      const status = json({ MessageSid: twilioSid('SM'), MessageStatus: 'delivered', AccountSid: FAKE_ACCOUNT_SID }, '/twilio/status?messageId=msg_x');
      assert.equal((await send(status.path, oneByteChanged(status.raw, 5), status.signature)).statusCode, 403);
      assert.equal((await send(status.path, status.raw, status.signature)).statusCode, 200);
    });
  });

  it('a replay of an old valid request is harmless: 200, stored once, the window not reopened', async () => {
    await withRelay('https://relay.example.com', async (relay) => {
      const params = inboundParams({ Body: 'first and only' });
      const signature = signTwilioRequest(FAKE_AUTH_TOKEN, 'https://relay.example.com/twilio/inbound', params);
      assert.equal((await post(relay, '/twilio/inbound', form(params), signature)).statusCode, 200);
      const id = (await findConversation(relay))!;
      const conversationBefore = conversationRow(relay.store, id);
      const countsBefore = rowCounts(relay.store);
      relay.clock.advance(3 * 24 * 3600_000); // days later, the window long closed
      for (let i = 0; i < 3; i += 1) assert.equal((await post(relay, '/twilio/inbound', form(params), signature)).statusCode, 200);
      assert.deepEqual(rowCounts(relay.store), countsBefore, 'nothing new stored, no events');
      assert.deepEqual(conversationRow(relay.store, id), conversationBefore, 'last inbound time (the window) unchanged');
    });
  });

  it('refuses a missing, empty, repeated-header or other-token signature', async () => {
    await withRelay('https://relay.example.com', async (relay) => {
      const params = inboundParams();
      const url = 'https://relay.example.com/twilio/inbound';
      const before = rowCounts(relay.store);
      assert.equal((await post(relay, '/twilio/inbound', form(params), undefined)).statusCode, 403);
      assert.equal((await post(relay, '/twilio/inbound', form(params), '')).statusCode, 403);
      assert.equal((await post(relay, '/twilio/inbound', form(params), signTwilioRequest('another-accounts-token', url, params))).statusCode, 403);
      const r = await post(relay, '/twilio/inbound', form(params), signTwilioRequest(FAKE_AUTH_TOKEN, url, params).toLowerCase());
      assert.equal(r.statusCode, 403);
      assert.equal(r.json().error, 'invalid_signature');
      assert.deepEqual(rowCounts(relay.store), before);
    });
  });
});

async function findConversation(relay: TestRelay): Promise<string | undefined> {
  const sue = await relay.token('sue', 'Sue', { role: 'supervisor' });
  return ((await relay.api(sue, 'GET', '/api/v1/conversations')).json().items as { id: string }[])[0]?.id;
}
