/**
 * The relay's Twilio REST client (src/transport/twilio-rest.ts) on what twilio-oai specifies and
 * the fake does not exercise through the transport: the error body's fields, an answer that is
 * not Twilio's JSON, both paging styles, the limit, the timeout.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { TwilioApiError, twilioRest } from '../../src/transport/twilio-rest.ts';

const SID = 'AC' + '0'.repeat(32);
const BASIC = 'Basic ' + Buffer.from(`${SID}:secret`).toString('base64');
const server = setupServer();
const rest = (timeoutMs = 2000) => twilioRest({ accountSid: SID, authToken: 'secret', bases: {}, timeoutMs });

describe('twilioRest', () => {
  before(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  after(() => server.close());

  it('sends Basic auth and a form with repeated keys for lists, leaving out undefined fields', async () => {
    let seen: { auth: string | null; type: string | null; body: string } | null = null;
    server.use(
      http.post('https://api.twilio.com/x.json', async ({ request }) => {
        seen = { auth: request.headers.get('authorization'), type: request.headers.get('content-type'), body: await request.text() };
        return HttpResponse.json({ sid: 'SM1' }, { status: 201 });
      }),
    );
    assert.deepEqual(await rest().postForm('https://api.twilio.com/x.json', { To: 'whatsapp:+1', MediaUrl: ['a', 'b'], Body: undefined }), { sid: 'SM1' });
    assert.deepEqual(seen, { auth: BASIC, type: 'application/x-www-form-urlencoded', body: 'To=whatsapp%3A%2B1&MediaUrl=a&MediaUrl=b' });
  });

  it("turns Twilio's error body into a TwilioApiError with its code, message and more_info", async () => {
    server.use(
      http.post('https://api.twilio.com/x.json', () =>
        HttpResponse.json({ code: 21211, message: "The 'To' number is not valid.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 }, { status: 400 }),
      ),
    );
    const error = await rest().postForm('https://api.twilio.com/x.json', {}).catch((e: unknown) => e);
    assert.ok(error instanceof TwilioApiError);
    assert.deepEqual([error.status, error.code, error.message, error.moreInfo], [400, 21211, "The 'To' number is not valid.", 'https://www.twilio.com/docs/errors/21211']);
  });

  it('keeps the status of an answer that is not JSON (a proxy page), with no code', async () => {
    server.use(http.get('https://api.twilio.com/x.json', () => new HttpResponse('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } })));
    const error = await rest().get('https://api.twilio.com/x.json').catch((e: unknown) => e);
    assert.ok(error instanceof TwilioApiError);
    assert.deepEqual([error.status, error.code], [502, null]);
  });

  it('follows next_page_uri (2010 API, relative) and meta.next_page_url (absolute), up to the limit', async () => {
    server.use(
      http.get('https://api.twilio.com/2010-04-01/M.json', ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('Page') ?? 0);
        return HttpResponse.json({ messages: [{ n: page * 2 }, { n: page * 2 + 1 }], next_page_uri: page < 5 ? `/2010-04-01/M.json?PageSize=2&Page=${page + 1}` : null });
      }),
      http.get('https://content.twilio.com/v1/C', ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('Page') ?? 0);
        return HttpResponse.json({ contents: [{ n: page }], meta: { next_page_url: page < 2 ? `https://content.twilio.com/v1/C?Page=${page + 1}` : null } });
      }),
    );
    assert.deepEqual((await rest().list<{ n: number }>('https://api.twilio.com/2010-04-01/M.json', 'messages', { PageSize: '2' }, 5)).map((m) => m.n), [0, 1, 2, 3, 4]);
    assert.deepEqual((await rest().list<{ n: number }>('https://content.twilio.com/v1/C', 'contents', {})).map((c) => c.n), [0, 1, 2]);
  });

  it("does not follow a next page off Twilio's hosts with the account's credentials", async () => {
    let leaked = false;
    server.use(
      http.get('https://content.twilio.com/v1/C', () => HttpResponse.json({ contents: [{ n: 0 }], meta: { next_page_url: 'https://collector.example/v1/C?Page=1' } })),
      http.get('https://collector.example/v1/C', () => {
        leaked = true;
        return HttpResponse.json({ contents: [] });
      }),
    );
    await assert.rejects(rest().list('https://content.twilio.com/v1/C', 'contents', {}), /Not a Twilio API URL/);
    assert.equal(leaked, false);
  });

  it('follows a next page on the configured base, as a fake or proxy there names it, and still nowhere else', async () => {
    const base = 'http://127.0.0.1:3917';
    const seen: string[] = [];
    server.use(
      http.get(`${base}/v1/C`, ({ request }) => {
        seen.push(`${request.url} ${request.headers.get('authorization') === BASIC ? 'with' : 'without'} credentials`);
        const page = Number(new URL(request.url).searchParams.get('Page') ?? 0);
        const next = page === 0 ? `${base}/v1/C?Page=1` : page === 1 ? 'http://127.0.0.1:3918/v1/C?Page=2' : null;
        return HttpResponse.json({ contents: [{ n: page }], meta: { next_page_url: next } });
      }),
    );
    const based = twilioRest({ accountSid: SID, authToken: 'secret', bases: { api: base }, timeoutMs: 2000 });
    await assert.rejects(based.list('https://content.twilio.com/v1/C', 'contents', {}), /Not a Twilio API URL, so the account's credentials were not sent: http:\/\/127\.0\.0\.1:3918/);
    assert.deepEqual(seen, [`${base}/v1/C with credentials`, `${base}/v1/C?Page=1 with credentials`], 'the rebased first page and the next page on the base');
  });

  it('gives up after timeoutMs', async () => {
    server.use(
      http.get('https://api.twilio.com/slow.json', async () => {
        await delay(500);
        return HttpResponse.json({});
      }),
    );
    const started = Date.now();
    await assert.rejects(rest(100).get('https://api.twilio.com/slow.json'));
    assert.ok(Date.now() - started < 450);
  });
});
