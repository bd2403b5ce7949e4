import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { http, HttpResponse } from 'msw';
import { fetchTwilioMedia, type TwilioMediaOptions, type TwilioMediaResult } from '../../src/media/twilio-media.ts';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, setupFakeTwilio } from '../fakes/twilio-api.ts';
import { SAMPLES } from '../fakes/media-samples.ts';

const OPTIONS: TwilioMediaOptions = { accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, maxBytes: 1024 * 1024 };
const MEDIA_PATH = `/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages/MM${'a'.repeat(32)}/Media/ME${'b'.repeat(32)}`;

async function bytesOf(result: TwilioMediaResult): Promise<Uint8Array> {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return new Uint8Array(await new Response(result.body).arrayBuffer());
}

describe('fetchTwilioMedia', () => {
  const { server, twilio: fake } = setupFakeTwilio();
  const seen: { url: string; authorization: string | null }[] = [];
  before(() => {
    server.listen({ onUnhandledRequest: 'error' });
    server.events.on('request:start', ({ request }) => {
      seen.push({ url: request.url, authorization: request.headers.get('authorization') });
    });
  });
  after(() => server.close());
  beforeEach(() => {
    fake.reset();
    server.resetHandlers();
    seen.length = 0;
  });

  it('fetches media through Twilio’s redirect, sending credentials only to the API', async () => {
    const url = fake.addMedia('application/pdf', SAMPLES.pdf);
    const result = await fetchTwilioMedia(url, OPTIONS);
    assert.ok(result.ok);
    assert.equal(result.contentType, 'application/pdf');
    assert.equal(result.size, SAMPLES.pdf.byteLength);
    assert.deepEqual(await bytesOf(result), SAMPLES.pdf);
    assert.equal(seen.length, 2);
    assert.equal(new URL(seen[0]?.url ?? '').origin, 'https://api.twilio.com');
    assert.match(seen[0]?.authorization ?? '', /^Basic /);
    assert.equal(new URL(seen[1]?.url ?? '').hostname, 'media.twiliocdn.com');
    assert.equal(seen[1]?.authorization, null, 'credentials must not follow the redirect');
  });

  describe('refuses URLs that are not this account’s Twilio media, without a request', () => {
    const hostile = [
      ['another host', `https://evil.example${MEDIA_PATH}`],
      ['userinfo trick', `https://api.twilio.com@evil.example${MEDIA_PATH}`],
      ['credentials in the URL', `https://user:pass@api.twilio.com${MEDIA_PATH}`],
      ['look-alike host', `https://api.twilio.com.evil.example${MEDIA_PATH}`],
      ['plain http', `http://api.twilio.com${MEDIA_PATH}`],
      ['another port', `https://api.twilio.com:8443${MEDIA_PATH}`],
      ['metadata address', `http://169.254.169.254${MEDIA_PATH}`],
      ['another account', MEDIA_PATH.replace(FAKE_ACCOUNT_SID, 'AC' + '9'.repeat(32)).replace(/^/, 'https://api.twilio.com')],
      ['another API resource', `https://api.twilio.com/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages.json`],
      ['path traversal', `https://api.twilio.com/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/../../evil${MEDIA_PATH}`],
      ['not a URL', 'api.twilio.com' + MEDIA_PATH],
    ] as const;
    for (const [name, url] of hostile) {
      it(name, async () => {
        const result = await fetchTwilioMedia(url, OPTIONS);
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.error, 'media_url_not_allowed');
        assert.equal(seen.length, 0, `no request may be made, saw ${seen.map((s) => s.url).join(', ')}`);
      });
    }
  });

  describe('refuses redirects away from Twilio’s media hosts', () => {
    const targets = [
      'http://169.254.169.254/latest/meta-data/iam/',
      'https://evil.example/steal',
      'https://api.twilio.com@evil.example/x',
      'https://media.twiliocdn.com.evil.example/x',
      'http://media.twiliocdn.com/x',
      'file:///etc/passwd',
    ];
    for (const location of targets) {
      it(location, async () => {
        server.use(http.get(`https://api.twilio.com${MEDIA_PATH}`, () => new Response(null, { status: 302, headers: { Location: location } })));
        const result = await fetchTwilioMedia(`https://api.twilio.com${MEDIA_PATH}`, OPTIONS);
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.error, 'media_redirect_not_allowed');
        assert.equal(seen.length, 1, 'only the Twilio API was contacted');
      });
    }
  });

  it('stops after a few redirects', async () => {
    server.use(
      http.get(`https://api.twilio.com${MEDIA_PATH}`, () => new Response(null, { status: 307, headers: { Location: 'https://media.twiliocdn.com/loop' } })),
      http.get('https://media.twiliocdn.com/loop', () => new Response(null, { status: 307, headers: { Location: '/loop' } })),
    );
    const result = await fetchTwilioMedia(`https://api.twilio.com${MEDIA_PATH}`, OPTIONS);
    assert.equal(!result.ok && result.error, 'media_redirect_not_allowed');
    assert.ok(seen.length <= 4);
  });

  it('refuses media whose declared size is over the limit', async () => {
    const url = fake.addMedia('image/jpeg', SAMPLES.jpeg);
    const result = await fetchTwilioMedia(url, { ...OPTIONS, maxBytes: SAMPLES.jpeg.byteLength - 1 });
    assert.equal(!result.ok && result.error, 'media_too_large');
  });

  it('cuts off a stream that grows past the limit without declaring its size', async () => {
    server.use(
      http.get(`https://api.twilio.com${MEDIA_PATH}`, () => {
        const chunk = new Uint8Array(400);
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < 5; i += 1) controller.enqueue(chunk);
            controller.close();
          },
        });
        return new HttpResponse(stream, { headers: { 'Content-Type': 'video/mp4' } });
      }),
    );
    const result = await fetchTwilioMedia(`https://api.twilio.com${MEDIA_PATH}`, { ...OPTIONS, maxBytes: 1000 });
    assert.ok(result.ok);
    assert.equal(result.size, null);
    await assert.rejects(new Response(result.body).arrayBuffer(), /media_too_large/);
  });

  it('reports Twilio’s refusal with its status', async () => {
    const missing = await fetchTwilioMedia(`https://api.twilio.com${MEDIA_PATH}`, OPTIONS);
    assert.deepEqual(!missing.ok && [missing.error, missing.status], ['media_fetch_failed', 404]);
    const url = fake.addMedia('image/png', SAMPLES.png);
    const unauthorised = await fetchTwilioMedia(url, { ...OPTIONS, authToken: 'wrong' });
    assert.deepEqual(!unauthorised.ok && [unauthorised.error, unauthorised.status], ['media_fetch_failed', 401]);
  });

  it('reports a network failure as a value', async () => {
    server.use(http.get(`https://api.twilio.com${MEDIA_PATH}`, () => HttpResponse.error()));
    const result = await fetchTwilioMedia(`https://api.twilio.com${MEDIA_PATH}`, OPTIONS);
    assert.equal(!result.ok && result.error, 'media_fetch_failed');
  });
});
