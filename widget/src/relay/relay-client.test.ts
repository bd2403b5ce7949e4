import { expect, waitUntil } from '@open-wc/testing';
import type { Message, RelayEvent, SendMessageRequest } from '@wcp/protocol';
import type { JsonBodyType } from 'msw';
import { RELAY, makeAgent, makeConversation, makeMessage } from '../test/fixtures.js';
import { memoryStorage } from '../test/memory-storage.js';
import { devToken, eventsEndpoint, http, HttpResponse, startRelayMock, worker } from '../test/relay-mock.js';
import { createRelayClient, RelayError, type ConnectionState, type RelayClient } from './relay-client.js';
import { backoffDelay } from './backoff.js';
import { agentKeyFromToken } from './outbox.js';

const fast = { baseMs: 10, maxMs: 40 };

function client(storage = memoryStorage()): RelayClient {
  return createRelayClient({ baseUrl: RELAY, getToken: async () => devToken(), outboxStorage: storage, backoff: fast });
}

describe('createRelayClient', () => {
  before(startRelayMock);
  afterEach(() => worker.resetHandlers());

  it('sends the bearer token and returns the agent', async () => {
    let auth: string | null = null;
    worker.use(
      http.get(`${RELAY}/api/v1/me`, ({ request }) => {
        auth = request.headers.get('Authorization');
        return HttpResponse.json(makeAgent());
      }),
    );
    const agent = await client().me();
    expect(agent.name).to.equal('Dana Agent');
    expect(auth).to.equal(`Bearer ${devToken()}`);
  });

  it('reads the relay clock from the Date header when it may', async () => {
    const relayNow = new Date(Date.now() + 2 * 3600_000);
    worker.use(
      http.get(`${RELAY}/api/v1/me`, () =>
        HttpResponse.json(makeAgent(), { headers: { Date: relayNow.toUTCString(), 'Access-Control-Expose-Headers': 'Date' } }),
      ),
    );
    const relay = client();
    expect(relay.serverClockOffsetMs()).to.equal(null);
    await relay.me();
    expect(relay.serverClockOffsetMs()).to.be.within(2 * 3600_000 - 5000, 2 * 3600_000 + 1000);
  });

  it('turns an error body into a RelayError that keeps the relay message', async () => {
    const text = 'This conversation has exceeded the 24 hour limit to respond to the customer.';
    worker.use(
      http.put(`${RELAY}/api/v1/conversations/conv-1/state`, () =>
        HttpResponse.json({ error: 'invalid_transition', message: 'Cannot go from closed to active.' }, { status: 409 }),
      ),
      http.post(`${RELAY}/api/v1/conversations/conv-1/messages`, () =>
        HttpResponse.json({ error: 'window_expired', message: text }, { status: 422 }),
      ),
    );
    const relay = client();
    const stateError = await relay.setState('conv-1', 'active').catch((e: unknown) => e);
    expect(stateError).to.be.instanceOf(RelayError);
    expect(stateError).to.include({ status: 409, code: 'invalid_transition', message: 'Cannot go from closed to active.' });
    const sendError = await relay.sendMessage('conv-1', { body: 'hi' }).catch((e: unknown) => e);
    expect(sendError).to.include({ status: 422, code: 'window_expired', message: text });
  });

  it('reports an unreachable relay as a network error', async () => {
    worker.use(http.get(`${RELAY}/api/v1/templates`, () => HttpResponse.error()));
    const error = await client().templates().catch((e: unknown) => e);
    expect(error).to.include({ status: 0, code: 'network_error' });
  });

  it('pages the transcript with before and limit', async () => {
    let url: URL | null = null;
    const page = { items: [makeMessage()], next: 'cursor-2' };
    worker.use(
      http.get(`${RELAY}/api/v1/conversations/conv-1/messages`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json(page);
      }),
    );
    const result = await client().listMessages('conv-1', { before: 'cursor-1' });
    expect(result.next).to.equal('cursor-2');
    expect(url!.searchParams.get('before')).to.equal('cursor-1');
    expect(url!.searchParams.get('limit')).to.equal('50');
  });

  it('routes every call to the documented path and method', async () => {
    const seen: string[] = [];
    const conversation = makeConversation();
    const record = (method: string, path: string, body: JsonBodyType) =>
      http[method.toLowerCase() as 'get'](`${RELAY}${path}`, ({ request }) => {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        return request.method === 'POST' && path.endsWith('/reject') ? new HttpResponse(null, { status: 204 }) : HttpResponse.json(body);
      });
    worker.use(
      record('PUT', '/api/v1/me/presence', makeAgent({ presence: 'busy' })),
      record('GET', '/api/v1/conversations', { items: [conversation] }),
      record('GET', '/api/v1/conversations/conv-1', conversation),
      record('POST', '/api/v1/conversations/conv-1/accept', conversation),
      record('POST', '/api/v1/conversations/conv-1/reject', null),
      record('POST', '/api/v1/conversations/conv-1/messages/m1/retry', makeMessage()),
      record('GET', '/api/v1/conversations/conv-1/notes', { items: [] }),
      record('PUT', '/api/v1/conversations/conv-1/link', conversation),
      record('DELETE', '/api/v1/conversations/conv-1/link', conversation),
      record('GET', '/api/v1/customers/%2B14155550100/conversations', { items: [] }),
      record('GET', '/api/v1/quick-replies', { items: [] }),
      record('GET', '/api/v1/scripts', { items: [] }),
      record('GET', '/api/v1/search', { items: [] }),
    );
    const relay = client();
    expect((await relay.setPresence('busy')).presence).to.equal('busy');
    expect(await relay.listConversations('active')).to.have.length(1);
    await relay.getConversation('conv-1');
    await relay.acceptOffer('conv-1');
    await relay.rejectOffer('conv-1');
    await relay.retryMessage('conv-1', 'm1');
    await relay.listNotes('conv-1');
    await relay.linkRecord('conv-1', { entityType: 'incident', id: 'case-1', name: 'Broken router' });
    await relay.unlinkRecord('conv-1');
    await relay.customerConversations('+14155550100');
    await relay.quickReplies();
    await relay.scripts();
    await relay.search('refund');
    expect(seen).to.deep.equal([
      'PUT /api/v1/me/presence',
      'GET /api/v1/conversations',
      'GET /api/v1/conversations/conv-1',
      'POST /api/v1/conversations/conv-1/accept',
      'POST /api/v1/conversations/conv-1/reject',
      'POST /api/v1/conversations/conv-1/messages/m1/retry',
      'GET /api/v1/conversations/conv-1/notes',
      'PUT /api/v1/conversations/conv-1/link',
      'DELETE /api/v1/conversations/conv-1/link',
      'GET /api/v1/customers/%2B14155550100/conversations',
      'GET /api/v1/quick-replies',
      'GET /api/v1/scripts',
      'GET /api/v1/search',
    ]);
  });

  it('lists colleagues and queues, transfers with a note, and starts and ends a consult', async () => {
    const seen: string[] = [];
    const bodies: unknown[] = [];
    const accepted = (status: number) => async ({ request }: { request: Request }) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      if (request.method === 'POST') bodies.push(await request.json());
      return new HttpResponse(null, { status });
    };
    worker.use(
      http.get(`${RELAY}/api/v1/agents`, () => HttpResponse.json({ items: [{ id: 'agent-2', name: 'Alex Morgan', presence: 'available', available: true }] })),
      http.get(`${RELAY}/api/v1/queues`, () => HttpResponse.json({ items: [{ id: 'general', name: 'General', numbers: [], agentIds: [], waiting: 2, longestWaitSince: null }] })),
      http.post(`${RELAY}/api/v1/conversations/conv-1/transfer`, accepted(202)),
      http.post(`${RELAY}/api/v1/conversations/conv-1/consult`, accepted(202)),
      http.delete(`${RELAY}/api/v1/conversations/conv-1/consult`, accepted(204)),
      http.post(`${RELAY}/api/v1/conversations/conv-2/transfer`, () =>
        HttpResponse.json({ error: 'transfer_to_self', message: 'The conversation is already yours.' }, { status: 422 }),
      ),
    );
    const relay = client();
    expect((await relay.agents()).map((a) => a.name)).to.deep.equal(['Alex Morgan']);
    expect((await relay.queues())[0]!.waiting).to.equal(2);
    await relay.transfer('conv-1', { agentId: 'agent-2', note: 'Refund question' });
    await relay.startConsult('conv-1', 'agent-2');
    await relay.endConsult('conv-1');
    expect(seen).to.deep.equal([
      'POST /api/v1/conversations/conv-1/transfer',
      'POST /api/v1/conversations/conv-1/consult',
      'DELETE /api/v1/conversations/conv-1/consult',
    ]);
    expect(bodies).to.deep.equal([{ agentId: 'agent-2', note: 'Refund question' }, { agentId: 'agent-2' }]);
    const refused = await relay.transfer('conv-2', { agentId: 'agent-1' }).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(RelayError);
    expect([(refused as RelayError).status, (refused as RelayError).code]).to.deep.equal([422, 'transfer_to_self']);
  });

  it('uploads media as multipart field "file"', async () => {
    let received: File | null = null;
    worker.use(
      http.post(`${RELAY}/api/v1/media`, async ({ request }) => {
        received = (await request.formData()).get('file') as File;
        return HttpResponse.json({ id: 'ME1', contentType: 'image/png', size: 4, filename: 'a.png' }, { status: 201 });
      }),
    );
    const uploaded = await client().uploadMedia(new File([new Uint8Array([1, 2, 3, 4])], 'a.png', { type: 'image/png' }));
    expect(uploaded.id).to.equal('ME1');
    expect(received!.name).to.equal('a.png');
    expect(received!.size).to.equal(4);
  });

  it('uploads with progress and keeps the token and the relay\'s refusal', async () => {
    let auth: string | null = null;
    worker.use(
      http.post(`${RELAY}/api/v1/media`, ({ request }) => {
        auth = request.headers.get('Authorization');
        return HttpResponse.json({ error: 'media_type_not_allowed', message: 'WhatsApp cannot send this kind of file.' }, { status: 415 });
      }),
    );
    const progress: number[] = [];
    const file = new File([new Uint8Array(256 * 1024)], 'scan.pdf', { type: 'application/pdf' });
    const error = await client().uploadMedia(file, (fraction) => progress.push(fraction)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RelayError);
    expect(error).to.include({ status: 415, code: 'media_type_not_allowed', message: 'WhatsApp cannot send this kind of file.' });
    expect(auth).to.equal(`Bearer ${devToken()}`);
    expect(progress.at(-1)).to.equal(1);

    worker.use(http.post(`${RELAY}/api/v1/media`, () => HttpResponse.error()));
    expect(await client().uploadMedia(file).catch((e: unknown) => e)).to.include({ status: 0, code: 'network_error' });
  });

  it('reads the template list with its staleness and posts typing', async () => {
    let typed = 0;
    worker.use(
      http.get(`${RELAY}/api/v1/templates`, () => HttpResponse.json({ items: [], stale: true })),
      http.post(`${RELAY}/api/v1/conversations/conv-1/typing`, () => {
        typed++;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    expect(await client().templates()).to.deep.equal({ items: [], stale: true });
    await client().typing('conv-1');
    expect(typed).to.equal(1);
  });

  it('fetches media from the relay with the token and refuses other origins', async () => {
    let auth: string | null = null;
    worker.use(
      http.get(`${RELAY}/api/v1/media/ME1`, ({ request }) => {
        auth = request.headers.get('Authorization');
        return new HttpResponse(new Uint8Array([137, 80, 78, 71]), { headers: { 'Content-Type': 'image/png' } });
      }),
    );
    const relay = client();
    const blob = await relay.fetchMedia('/api/v1/media/ME1');
    expect(blob.type).to.equal('image/png');
    expect(blob.size).to.equal(4);
    expect(auth).to.equal(`Bearer ${devToken()}`);
    const error = await relay.fetchMedia('https://evil.example/steal').catch((e: unknown) => e);
    expect(error).to.include({ code: 'foreign_media_url' });
  });
});

describe('RelayClient.subscribe', () => {
  before(startRelayMock);
  afterEach(() => worker.resetHandlers());

  it('takes the relay clock from the ready frame and resumes after its id', async () => {
    const events = eventsEndpoint();
    worker.use(events.handler);
    const received: RelayEvent[] = [];
    const relay = client();
    const stop = relay.subscribe((event) => received.push(event));
    try {
      await events.waitForConnections(1);
      const serverTime = new Date(Date.now() + 3 * 3600_000).toISOString();
      events.latest.write(`id: 7\nevent: ready\ndata: ${JSON.stringify({ agentId: 'agent-1', serverTime })}\n\n`);
      await waitUntil(() => relay.serverClockOffsetMs() !== null, 'clock learnt');
      expect(relay.serverClockOffsetMs()).to.be.within(3 * 3600_000 - 2000, 3 * 3600_000 + 100);
      expect(received).to.have.length(0);
      events.latest.close();
      await events.waitForConnections(2);
      expect(events.connections[1]!.lastEventId).to.equal('7');
    } finally {
      stop();
    }
  });

  it('asks for the conversations again when the relay says events since the resume point were pruned', async () => {
    const events = eventsEndpoint();
    worker.use(events.handler);
    let missed = 0;
    const relay = client();
    const stop = relay.subscribe(() => undefined, undefined, undefined, () => missed++);
    try {
      await events.waitForConnections(1);
      events.latest.write(`id: 7\nevent: ready\ndata: ${JSON.stringify({ agentId: 'agent-1' })}\n\n`);
      events.latest.close();
      await events.waitForConnections(2);
      events.latest.write(`id: 900\nevent: ready\ndata: ${JSON.stringify({ agentId: 'agent-1', reload: true })}\n\n`);
      await waitUntil(() => missed === 1, 'told once');
      expect(events.connections[1]!.lastEventId).to.equal('7');
    } finally {
      stop();
    }
  });

  it('parses named events and resumes with Last-Event-ID after the relay restarts', async () => {
    const events = eventsEndpoint();
    worker.use(events.handler);
    const received: RelayEvent[] = [];
    const states: ConnectionState[] = [];
    const relay = client();
    const stop = relay.subscribe((event) => received.push(event), (state) => states.push(state));
    try {
      await events.waitForConnections(1);
      const message = makeMessage({ id: 'm-1' });
      events.latest.write(': ping\n\n');
      events.latest.send({ id: '41', type: 'message', data: { conversationId: 'conv-1', message } });
      // A frame split across chunks is still one event.
      events.latest.write('id: 42\nevent: window\ndata: {"conversationId":"conv-1",');
      events.latest.write('"windowExpiresAt":null}\n\n');
      await waitUntil(() => received.length === 2, 'two events');
      events.latest.close(); // relay restart
      await events.waitForConnections(2);
      events.latest.send({ id: '43', type: 'offer_withdrawn', data: { conversationId: 'conv-2', reason: 'expired' } });
      await waitUntil(() => received.length === 3, 'third event after reconnect');

      expect(events.connections[0]!.authorization).to.equal(`Bearer ${devToken()}`);
      expect(events.connections[0]!.lastEventId).to.equal(null);
      expect(events.connections[1]!.lastEventId).to.equal('42');
      expect(received.map((e) => [e.id, e.type])).to.deep.equal([
        ['41', 'message'],
        ['42', 'window'],
        ['43', 'offer_withdrawn'],
      ]);
      expect((received[0]!.data as { message: Message }).message.id).to.equal('m-1');
      expect(states.slice(0, 4)).to.deep.equal(['connecting', 'open', 'reconnecting', 'open']);
    } finally {
      stop();
    }
    expect(states.at(-1)).to.equal('closed');
  });

  it('keeps retrying while the relay is down and resumes when it is back', async () => {
    const events = eventsEndpoint();
    worker.use(events.handler);
    const received: RelayEvent[] = [];
    const relay = client();
    const stop = relay.subscribe((event) => received.push(event));
    try {
      await events.waitForConnections(1);
      events.latest.send({ id: '7', type: 'window', data: { conversationId: 'conv-1', windowExpiresAt: null } });
      await waitUntil(() => received.length === 1);
      events.setDown(true);
      events.latest.close();
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(events.connections).to.have.length(1);
      events.setDown(false);
      await events.waitForConnections(2);
      expect(events.connections[1]!.lastEventId).to.equal('7');
    } finally {
      stop();
    }
  });
});

describe('RelayClient offline outbox', () => {
  before(startRelayMock);
  afterEach(() => worker.resetHandlers());

  it('queues sends while the stream is down and posts each once, in order, on reconnect', async () => {
    const events = eventsEndpoint();
    const posted: SendMessageRequest[] = [];
    worker.use(
      events.handler,
      http.post(`${RELAY}/api/v1/conversations/:id/messages`, async ({ request, params }) => {
        const body = (await request.json()) as SendMessageRequest;
        posted.push(body);
        return HttpResponse.json(
          makeMessage({ conversationId: String(params.id), direction: 'outbound', body: body.body ?? '', status: 'queued' }),
          { status: 202 },
        );
      }),
    );
    const storage = memoryStorage();
    const relay = client(storage);
    const states: ConnectionState[] = [];
    const stop = relay.subscribe(() => undefined, (state) => states.push(state));
    try {
      await events.waitForConnections(1);
      await waitUntil(() => states.includes('open'));
      events.setDown(true);
      events.latest.close();
      await waitUntil(() => states.at(-1) === 'reconnecting');

      const first = relay.sendMessage('conv-1', { body: 'first', clientId: 'c-1' });
      const second = relay.sendMessage('conv-1', { body: 'second' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(posted).to.have.length(0);
      const pending = await relay.pendingSends();
      expect(pending.map((item) => item.request.body)).to.deep.equal(['first', 'second']);
      expect(JSON.parse(storage.map.get('wcp-outbox:agent-1') ?? '[]')).to.have.length(2);

      events.setDown(false);
      const [sentFirst, sentSecond] = await Promise.all([first, second]);
      expect(sentFirst.body).to.equal('first');
      expect(sentSecond.body).to.equal('second');
      expect(posted.map((body) => body.body)).to.deep.equal(['first', 'second']);
      expect(posted[0]!.clientId).to.equal('c-1');
      expect(posted[1]!.clientId).to.be.a('string').and.not.equal('c-1');
      expect(storage.map.has('wcp-outbox:agent-1')).to.equal(false);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(posted).to.have.length(2);
    } finally {
      stop();
    }
  });

  it('flushes sends persisted by an earlier page load', async () => {
    const events = eventsEndpoint();
    const posted: SendMessageRequest[] = [];
    worker.use(
      events.handler,
      http.post(`${RELAY}/api/v1/conversations/conv-9/messages`, async ({ request }) => {
        posted.push((await request.json()) as SendMessageRequest);
        return HttpResponse.json(makeMessage({ direction: 'outbound', status: 'queued' }), { status: 202 });
      }),
    );
    const storage = memoryStorage();
    storage.setItem(
      'wcp-outbox:agent-1',
      JSON.stringify([
        { clientId: 'old-1', conversationId: 'conv-9', request: { body: 'written offline', clientId: 'old-1' }, queuedAt: '2025-06-02T09:00:00Z' },
      ]),
    );
    const stop = client(storage).subscribe(() => undefined);
    try {
      await waitUntil(() => posted.length === 1, 'persisted send flushed');
      expect(posted[0]).to.deep.equal({ body: 'written offline', clientId: 'old-1' });
      await waitUntil(() => !storage.map.has('wcp-outbox:agent-1'));
    } finally {
      stop();
    }
  });

  it('retries a send the relay could not take (503) with the same clientId', async () => {
    const clientIds: string[] = [];
    worker.use(
      http.post(`${RELAY}/api/v1/conversations/conv-1/messages`, async ({ request }) => {
        clientIds.push(((await request.json()) as SendMessageRequest).clientId ?? '');
        if (clientIds.length === 1) return HttpResponse.json({ error: 'unavailable', message: 'Restarting' }, { status: 503 });
        return HttpResponse.json(makeMessage({ direction: 'outbound', status: 'queued' }), { status: 202 });
      }),
    );
    const message = await client().sendMessage('conv-1', { body: 'hello' });
    expect(message.direction).to.equal('outbound');
    expect(clientIds).to.have.length(2);
    expect(clientIds[0]).to.equal(clientIds[1]);
  });
});

describe('relay helpers', () => {
  it('backs off exponentially with jitter up to the cap', () => {
    expect(backoffDelay(0, { baseMs: 100, random: () => 0 })).to.equal(50);
    expect(backoffDelay(0, { baseMs: 100, random: () => 1 })).to.equal(100);
    expect(backoffDelay(3, { baseMs: 100, random: () => 1 })).to.equal(800);
    expect(backoffDelay(20, { baseMs: 100, maxMs: 1000, random: () => 1 })).to.equal(1000);
  });

  it('keys the outbox by the token subject', () => {
    expect(agentKeyFromToken(devToken('agent-7'))).to.equal('agent-7');
    expect(agentKeyFromToken('not-a-jwt')).to.equal('agent');
  });
});
