/**
 * Property-based fuzzing (fast-check) of the webhook routes and the agent API: whatever
 * arrives — bodies, params, query strings, headers — the relay answers without a 500,
 * a refusal is a 4xx with a clear `message`, and a refusal writes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { signTwilioRequest } from '../../src/twilio/signature.ts';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, twilioSid } from '../fakes/twilio-api.ts';
import { BUSINESS, closeFakeTwilio, PUBLIC_URL, startRelay, type TestRelay } from '../helpers/harness.ts';
import { rowCounts } from '../helpers/row-counts.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** Strings that tend to break things: unicode, control characters, huge, SQL/HTML-ish. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '%', '%zz', "'; DROP TABLE messages;--", '<script>alert(1)</script>', '../../etc/passwd', 'whatsapp:', 'whatsapp:+', '+1', '-1', '1e400', 'NaN', '[]', '{}', 'null', '\uFEFF', '\uD800', 'x'.repeat(20_000)),
);

const FIELDS = ['MessageSid', 'SmsMessageSid', 'AccountSid', 'From', 'To', 'Body', 'NumMedia', 'MediaUrl0', 'MediaContentType0', 'ProfileName', 'WaId', 'OriginalRepliedMessageSid', 'ButtonText', 'MessageStatus', 'SmsStatus', 'ErrorCode', 'ErrorMessage'];

/** Mostly-valid Twilio parameters with some fields replaced, dropped or repeated. */
const webhookParams = fc
  .record({
    base: fc.constant(null),
    replace: fc.dictionary(fc.constantFrom(...FIELDS), nasty, { maxKeys: 4 }),
    drop: fc.subarray(FIELDS, { maxLength: 3 }),
    repeat: fc.subarray(FIELDS, { maxLength: 2 }),
    extra: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), nasty, { maxKeys: 3 }),
  })
  .map(({ replace, drop, repeat, extra }) => {
    const sid = twilioSid('SM');
    const params: Record<string, string | string[]> = {
      MessageSid: sid,
      SmsMessageSid: sid,
      AccountSid: FAKE_ACCOUNT_SID,
      From: 'whatsapp:+14155550100',
      To: `whatsapp:${BUSINESS}`,
      Body: 'hi',
      NumMedia: '0',
      MessageStatus: 'delivered',
      ...extra,
      ...replace,
    };
    for (const key of drop) delete params[key];
    for (const key of repeat) if (typeof params[key] === 'string') params[key] = [params[key] as string, 'again'];
    return params;
  });

/** encodeURIComponent for any string: lone surrogates (which it refuses) become U+FFFD. */
const enc = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

function encode(params: Record<string, string | string[]>): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) out.append(k, x);
  return out.toString();
}

/** The contract for every answer: no 5xx; a refusal is a 4xx with a human message; a refusal writes nothing. */
function checkAnswer(r: LightMyRequestResponse, before: Record<string, number>, after: Record<string, number>, what: string): void {
  assert.ok(r.statusCode < 500, `${what}: ${r.statusCode} ${r.body.slice(0, 300)}`);
  if (r.statusCode >= 400) {
    const body = r.json() as { error?: unknown; message?: unknown };
    assert.equal(typeof body.message, 'string', `${what}: ${r.body.slice(0, 200)}`);
    assert.ok((body.message as string).length >= 8, `${what}: message too terse: ${String(body.message)}`);
    assert.equal(typeof body.error, 'string');
    assert.deepEqual(after, before, `${what}: a refused request changed the store`);
  }
}

describe('fuzzing the webhooks', () => {
  let relay: TestRelay;
  before(async () => {
    relay = await startRelay();
  });
  after(async () => {
    await relay?.close();
    closeFakeTwilio();
  });

  for (const path of ['/twilio/inbound', '/twilio/status']) {
    it(`${path}: signed but malformed parameters get 200 or a 400 that stores nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(webhookParams, fc.constantFrom('', '?messageId=msg_x', '?a=%ZZ&b', "?o'k=1"), async (params, query) => {
          const url = `${path}${query}`;
          const before = rowCounts(relay.store);
          const r = await relay.app.inject({
            method: 'POST',
            url,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(FAKE_AUTH_TOKEN, `${PUBLIC_URL}${url}`, params) },
            payload: encode(params),
          });
          checkAnswer(r, before, rowCounts(relay.store), `${url} ${encode(params).slice(0, 200)}`);
          assert.ok([200, 400].includes(r.statusCode), `${r.statusCode}: ${r.body}`);
        }),
        { numRuns: RUNS },
      );
    });

    it(`${path}: arbitrary bodies, content types and signatures are refused without a write`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(nasty, fc.json(), webhookParams.map(encode)),
          fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/x-www-form-urlencoded; charset=latin1'),
          fc.option(nasty),
          async (payload, contentType, signature) => {
            const before = rowCounts(relay.store);
            const headers: Record<string, string> = { 'content-type': contentType };
            if (signature !== null) headers['x-twilio-signature'] = signature.replace(/[^\x20-\x7e]/g, '');
            const r = await relay.app.inject({ method: 'POST', url: path, headers, payload });
            checkAnswer(r, before, rowCounts(relay.store), `${contentType} ${payload.slice(0, 100)}`);
            assert.ok(r.statusCode >= 400, `unsigned junk accepted: ${r.statusCode}`);
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
});

describe('fuzzing the agent API', () => {
  let relay: TestRelay;
  let token: string;
  let conversationId: string;
  let messageId: string;
  before(async () => {
    relay = await startRelay();
    token = await relay.availableAgent('alice', 'Alice');
    conversationId = await relay.activeConversation(token, '+14155550100', 'first');
    messageId = (await relay.store.listMessages(conversationId, null, 1)).items[0]!.id;
  });
  after(async () => {
    await relay?.close();
    closeFakeTwilio();
  });

  const idLike = () => fc.oneof(fc.constant(conversationId), fc.constant(messageId), nasty, fc.constant('cv_' + 'x'.repeat(80)));
  const jsonValue = fc.oneof(
    fc.json({ maxDepth: 3 }).map((j) => JSON.parse(j) as unknown),
    fc.record(
      {
        body: fc.oneof(nasty, fc.integer(), fc.constant(null)),
        mediaId: fc.oneof(nasty, fc.constant(null)),
        clientId: nasty,
        replyToMessageId: nasty,
        template: fc.oneof(fc.record({ contentSid: nasty, variables: fc.dictionary(nasty, nasty, { maxKeys: 3 }) }), nasty),
        presence: fc.oneof(nasty, fc.constantFrom('available', 'busy', 'dnd', 'away', 'offline')),
        state: fc.oneof(nasty, fc.constantFrom('open', 'active', 'waiting', 'wrapup', 'closed')),
        entityType: nasty,
        id: nasty,
        name: nasty,
      },
      { requiredKeys: [] },
    ),
  );

  it('bodies, params and query strings: never a 500; refusals are clear and write nothing', async () => {
    const route = fc.oneof(
      fc.tuple(fc.constant('PUT'), fc.constant('/api/v1/me/presence')),
      fc.tuple(fc.constant('GET'), fc.string({ maxLength: 30 }).map((q) => `/api/v1/conversations?state=${enc(q)}`)),
      fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), idLike().map((id) => `/api/v1/conversations/${enc(id)}`)),
      fc.tuple(fc.constant('POST'), idLike().map((id) => `/api/v1/conversations/${enc(id)}/messages`)),
      fc.tuple(fc.constant('GET'), fc.tuple(idLike(), nasty, nasty).map(([id, b, l]) => `/api/v1/conversations/${enc(id)}/messages?before=${enc(b)}&limit=${enc(l)}`)),
      fc.tuple(fc.constant('POST'), fc.tuple(idLike(), idLike()).map(([id, m]) => `/api/v1/conversations/${enc(id)}/messages/${enc(m)}/retry`)),
      fc.tuple(fc.constant('PUT'), idLike().map((id) => `/api/v1/conversations/${enc(id)}/state`)),
      fc.tuple(fc.constantFrom('PUT', 'DELETE'), idLike().map((id) => `/api/v1/conversations/${enc(id)}/link`)),
      fc.tuple(fc.constantFrom('GET', 'POST'), idLike().map((id) => `/api/v1/conversations/${enc(id)}/notes`)),
      fc.tuple(fc.constantFrom('POST'), idLike().map((id) => `/api/v1/conversations/${enc(id)}/accept`)),
      fc.tuple(fc.constant('GET'), nasty.map((p) => `/api/v1/customers/${enc(p)}/conversations`)),
      fc.tuple(fc.constant('GET'), nasty.map((q) => `/api/v1/search?q=${enc(q)}`)),
      fc.tuple(fc.constant('GET'), nasty.map((id) => `/api/v1/media/${enc(id)}`)),
      fc.tuple(fc.constant('POST'), fc.constant('/api/v1/media')),
    );
    await fc.assert(
      fc.asyncProperty(
        route,
        fc.option(jsonValue),
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=zz'),
        async ([method, url], body, contentType) => {
          const before = rowCounts(relay.store);
          const r = await relay.app.inject({
            method: method as 'GET' | 'POST' | 'PUT' | 'DELETE',
            url,
            headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
            ...(body === null || method === 'GET' ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
          });
          checkAnswer(r, before, rowCounts(relay.store), `${method} ${url} ${contentType} ${JSON.stringify(body)?.slice(0, 200)}`);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('headers: Authorization, Last-Event-ID and Content-Type variants never crash the relay', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(nasty, fc.constant(`Bearer ${token}`), nasty.map((s) => `Bearer ${s}`)),
        nasty,
        nasty,
        async (authorization, lastEventId, contentType) => {
          const clean = (s: string) => s.replace(/[^\x20-\x7e\t]/g, '');
          const r = await relay.app.inject({
            method: 'PUT',
            url: '/api/v1/me/presence',
            headers: { authorization: clean(authorization), 'last-event-id': clean(lastEventId), 'content-type': clean(contentType) || 'x/y' },
            payload: '{"presence":"busy"}',
          });
          assert.ok(r.statusCode < 500, `${r.statusCode} ${r.body}`);
          if (r.statusCode >= 400) assert.ok((r.json() as { message: string }).message.length >= 8);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
