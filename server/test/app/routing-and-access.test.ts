import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';

describe('routing, offers and conversation states', () => {
  let relay: TestRelay;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay({ env: { OFFER_TIMEOUT_SECONDS: '120' } });
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  const offeredTo = async (token: string) =>
    ((await relay.api(token, 'GET', '/api/v1/conversations?state=open')).json().items as { id: string; offer: { agentId: string } | null }[]).filter((c) => c.offer);

  it('offers a new conversation to one available agent, never to dnd/away/offline', async () => {
    const dnd = await relay.token('dina');
    await relay.api(dnd, 'PUT', '/api/v1/me/presence', { presence: 'dnd' });
    const away = await relay.token('ari');
    await relay.api(away, 'PUT', '/api/v1/me/presence', { presence: 'away' });
    await relay.inbound({ From: 'whatsapp:+15550003333' });
    await relay.app.relay.router.kick();
    assert.equal((await offeredTo(dnd)).length, 0);
    assert.equal((await offeredTo(away)).length, 0);
    const alice = await relay.availableAgent('alice');
    await relay.app.relay.router.kick();
    assert.equal((await offeredTo(alice)).length, 1);
  });

  it('prefers available agents over busy ones', async () => {
    const busy = await relay.token('bea');
    await relay.api(busy, 'PUT', '/api/v1/me/presence', { presence: 'busy' });
    const alice = await relay.availableAgent('alice');
    await relay.inbound({ From: 'whatsapp:+15550003334' });
    await relay.app.relay.router.kick();
    assert.equal((await offeredTo(alice)).length, 1);
    assert.equal((await offeredTo(busy)).length, 0);
  });

  it('Reject passes the offer to the next agent', async () => {
    const alice = await relay.availableAgent('alice');
    await relay.inbound({ From: 'whatsapp:+15550003335' });
    await relay.app.relay.router.kick();
    const bob = await relay.availableAgent('bob');
    const [offer] = await offeredTo(alice);
    assert.ok(offer);
    assert.equal((await relay.api(alice, 'POST', `/api/v1/conversations/${offer.id}/reject`)).statusCode, 204);
    await relay.app.relay.router.kick();
    assert.equal((await offeredTo(alice)).length, 0);
    assert.equal((await offeredTo(bob))[0]?.id, offer.id);
  });

  it('an ignored offer expires after the timeout and passes on', async () => {
    const alice = await relay.availableAgent('alice');
    await relay.inbound({ From: 'whatsapp:+15550003336' });
    await relay.app.relay.router.kick();
    const bob = await relay.availableAgent('bob');
    const [offer] = await offeredTo(alice);
    relay.clock.advance(120_000);
    await relay.app.relay.router.kick();
    assert.equal((await offeredTo(bob))[0]?.id, offer!.id);
    const late = await relay.api(alice, 'POST', `/api/v1/conversations/${offer!.id}/accept`);
    assert.equal(late.statusCode, 409);
  });

  it('an agent going Away, Do not disturb or Offline gives back its pending offers at once, to the next agent', async () => {
    for (const [i, presence] of (['away', 'dnd', 'offline'] as const).entries()) {
      await relay.close();
      relay = await startRelay({ env: { OFFER_TIMEOUT_SECONDS: '120' } });
      const alice = await relay.availableAgent('alice');
      await relay.inbound({ From: `whatsapp:+1555000340${i}` });
      await relay.app.relay.router.kick();
      const bob = await relay.availableAgent('bob');
      const [offer] = await offeredTo(alice);
      assert.ok(offer, presence);
      const before = await relay.store.latestEventId();
      assert.equal((await relay.api(alice, 'PUT', '/api/v1/me/presence', { presence })).statusCode, 200);
      const told = (await relay.store.readEvents({ agentId: 'alice', supervisor: false }, before, 50)).filter((e) => e.type === 'offer_withdrawn');
      assert.deepEqual(told.map((e) => e.data), [{ conversationId: offer.id, reason: 'unavailable' }], `${presence}: the card goes from alice's panel`);
      // No waiting out the 120 s offer timeout: the customer goes to the next agent on the next pass.
      await relay.app.relay.router.kick();
      assert.equal((await offeredTo(bob))[0]?.id, offer.id, presence);
      assert.equal((await relay.api(alice, 'POST', `/api/v1/conversations/${offer.id}/accept`)).statusCode, 409, `${presence}: the offer is gone`);
    }
  });

  it('respects capacity', async () => {
    const relayCap = relay;
    await relayCap.close();
    relay = await startRelay({ env: { AGENT_CAPACITY: '1' } });
    const alice = await relay.availableAgent('alice');
    await relay.activeConversation(alice, '+15550003337');
    await relay.inbound({ From: 'whatsapp:+15550003338' });
    await relay.app.relay.router.kick();
    assert.equal((await offeredTo(alice)).length, 0, 'a full agent is not offered more');
  });

  it('offers the waiting conversation as soon as a full agent frees up', async () => {
    await relay.close();
    relay = await startRelay({ env: { AGENT_CAPACITY: '1' } });
    const alice = await relay.availableAgent('alice');
    const first = await relay.activeConversation(alice, '+15550003340');
    await relay.inbound({ From: 'whatsapp:+15550003341' });
    await relay.app.relay.router.kick();
    assert.equal((await offeredTo(alice)).length, 0);
    for (const state of ['wrapup', 'closed']) {
      assert.equal((await relay.api(alice, 'PUT', `/api/v1/conversations/${first}/state`, { state, disposition: 'resolved' })).statusCode, 200);
    }
    await relay.app.relay.router.kick();
    const offers = await offeredTo(alice);
    assert.equal(offers.length, 1);
    assert.notEqual(offers[0]!.id, first);
  });

  it('a conversation an agent declined does not hold up the ones behind it', async () => {
    const alice = await relay.availableAgent('alice');
    await relay.inbound({ From: 'whatsapp:+15550003342' });
    await relay.app.relay.router.kick();
    const [declined] = await offeredTo(alice);
    assert.equal((await relay.api(alice, 'POST', `/api/v1/conversations/${declined!.id}/reject`)).statusCode, 204);
    await relay.inbound({ From: 'whatsapp:+15550003343' });
    await relay.app.relay.router.kick();
    const offers = await offeredTo(alice);
    assert.equal(offers.length, 1, 'the next customer is offered to the agent with room');
    assert.notEqual(offers[0]!.id, declined!.id);
  });

  it('a new customer is offered to a free agent however many older ones that agent declined (a spam wave let pass)', async () => {
    await relay.close();
    relay = await startRelay({ env: { AGENT_CAPACITY: '100', OFFER_TIMEOUT_SECONDS: '120' } });
    const alice = await relay.availableAgent('alice');
    for (let i = 0; i < 150; i++) assert.equal((await relay.inbound({ From: `whatsapp:+1555002${String(i).padStart(4, '0')}` })).statusCode, 200);
    await relay.app.relay.router.kick();
    assert.equal((await offeredTo(alice)).length, 100, 'as many as her capacity');
    // She lets them pass: each counts as her decline for a while, and the other 50 are offered.
    relay.clock.advance(121_000);
    await relay.app.relay.router.kick();
    assert.equal((await offeredTo(alice)).length, 50);
    relay.clock.advance(121_000);
    await relay.app.relay.router.kick();
    assert.equal((await offeredTo(alice)).length, 0);
    relay.clock.advance(1000);
    await relay.inbound({ From: 'whatsapp:+15550029999', Body: 'I need help with my order' });
    await relay.app.relay.router.kick();
    const offers = (await offeredTo(alice)) as unknown as { customer: { phone: string } }[];
    assert.deepEqual(offers.map((c) => c.customer.phone), ['+15550029999'], 'offered to Alice, Available with room');
  });

  it("a queue nobody can serve does not hold up another queue's customers, however many wait in it", async () => {
    const sue = await relay.token('sue', 'Sue', { role: 'supervisor' });
    // Billing's only member is offline: its 100 customers wait.
    assert.equal((await relay.api(sue, 'PUT', '/api/v1/queues/billing', { name: 'Billing', agentIds: ['bob'], numbers: ['whatsapp:+14155230000'] })).statusCode, 200);
    for (let i = 0; i < 100; i++) assert.equal((await relay.inbound({ From: `whatsapp:+1555001${String(i).padStart(4, '0')}`, To: 'whatsapp:+14155230000' })).statusCode, 200);
    relay.clock.advance(1000);
    await relay.inbound({ From: 'whatsapp:+15550019999' }); // the general queue (the default business number)
    const alice = await relay.availableAgent('alice'); // works the general queue
    await relay.app.relay.router.kick();
    const offered = (await offeredTo(alice)) as unknown as { customer: { phone: string } }[];
    assert.deepEqual(offered.map((c) => c.customer.phone), ['+15550019999']);
  });

  it('offers a supervisor only the conversations of queues that list it (it is no member of the default queue)', async () => {
    const sue = await relay.token('sue', 'Sue', { role: 'supervisor' });
    assert.equal((await relay.api(sue, 'PUT', '/api/v1/me/presence', { presence: 'available' })).statusCode, 200);
    await relay.inbound({ From: 'whatsapp:+15550009401' });
    await relay.app.relay.router.kick();
    const general = ((await relay.api(sue, 'GET', '/api/v1/queues')).json().items as { id: string; agentIds: string[] }[]).find((q) => q.id === 'general')!;
    assert.deepEqual(general.agentIds, [], 'the queue lists no member');
    const overview = (await relay.api(sue, 'GET', '/api/v1/supervisor/overview')).json().conversations as { agentId: string | null }[];
    assert.deepEqual(overview.map((c) => c.agentId), [null]);
    assert.equal((await offeredTo(sue)).length, 0, 'not offered to the supervisor');
    // Listed in a queue, the supervisor works it.
    assert.equal((await relay.api(sue, 'PUT', '/api/v1/queues/vip', { name: 'VIP', agentIds: ['sue'], numbers: ['whatsapp:+14155230001'] })).statusCode, 200);
    await relay.inbound({ From: 'whatsapp:+15550009402', To: 'whatsapp:+14155230001' });
    await relay.app.relay.router.kick();
    assert.deepEqual((await offeredTo(sue)).map((c) => c.offer?.agentId), ['sue']);
  });

  /** Runs `meanwhile` once inside the router's next pass, after it read its snapshot of the agents. */
  const duringThePass = (meanwhile: () => Promise<void>) => {
    const store = relay.store;
    const original = store.listUnoffered.bind(store);
    let once = true;
    store.listUnoffered = async (...args: Parameters<typeof original>) => {
      const rows = await original(...args);
      if (once) {
        once = false;
        await meanwhile();
      }
      return rows;
    };
    return () => void (store.listUnoffered = original);
  };

  it('does not offer to an agent who went Away while the routing pass ran', async () => {
    const alice = await relay.availableAgent('alice');
    const restore = duringThePass(async () => {
      assert.equal((await relay.api(alice, 'PUT', '/api/v1/me/presence', { presence: 'away' })).statusCode, 200);
    });
    await relay.inbound({ From: 'whatsapp:+15550009101' });
    await relay.app.relay.router.kick();
    restore();
    assert.equal((await offeredTo(alice)).length, 0);
  });

  it('does not push an agent past capacity when a supervisor assigns while the routing pass ran', async () => {
    await relay.close();
    relay = await startRelay({ env: { OFFER_TIMEOUT_SECONDS: '120', AGENT_CAPACITY: '1' } });
    const sue = await relay.token('sue', 'Sue', { role: 'supervisor' });
    await relay.inbound({ From: 'whatsapp:+15550009201' });
    relay.clock.advance(1000);
    await relay.inbound({ From: 'whatsapp:+15550009202' });
    const second = ((await relay.api(sue, 'GET', '/api/v1/conversations?state=open')).json().items as { id: string; customer: { phone: string } }[]).find((c) => c.customer.phone === '+15550009202')!;
    const restore = duringThePass(async () => {
      // Alice has room (0 of 1) when the router read her; the supervisor gives her the second customer.
      const assigned = await relay.api(sue, 'POST', `/api/v1/conversations/${second.id}/assign`, { agentId: 'alice' });
      assert.equal(assigned.statusCode, 200, assigned.body);
    });
    await relay.availableAgent('alice');
    await relay.app.relay.router.kick();
    restore();
    const agents = (await relay.api(sue, 'GET', '/api/v1/supervisor/overview')).json().agents as { id: string; load: number; capacity: number }[];
    assert.deepEqual(agents.filter((a) => a.id === 'alice').map((a) => [a.load, a.capacity]), [[1, 1]]);
  });

  it('allows only valid state changes, each visible to the agent', async () => {
    const alice = await relay.availableAgent('alice');
    const id = await relay.activeConversation(alice, '+15550003339');
    const put = (state: string) => relay.api(alice, 'PUT', `/api/v1/conversations/${id}/state`, { state, ...(state === 'closed' ? { disposition: 'resolved' } : {}) });
    assert.equal((await put('closed')).statusCode, 409);
    assert.equal((await put('open')).statusCode, 409);
    assert.equal((await put('waiting')).json().state, 'waiting');
    assert.equal((await put('active')).json().state, 'active');
    assert.equal((await put('wrapup')).json().state, 'wrapup');
    assert.equal((await put('closed')).json().state, 'closed');
    assert.equal((await put('bogus')).statusCode, 400);
  });
});

describe('agent API access', () => {
  let relay: TestRelay;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay();
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  const routes: [method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string][] = [
    ['GET', '/api/v1/me'],
    ['PUT', '/api/v1/me/presence'],
    ['GET', '/api/v1/conversations'],
    ['GET', '/api/v1/conversations/cv_x'],
    ['POST', '/api/v1/conversations/cv_x/accept'],
    ['POST', '/api/v1/conversations/cv_x/reject'],
    ['GET', '/api/v1/conversations/cv_x/messages'],
    ['POST', '/api/v1/conversations/cv_x/messages'],
    ['PUT', '/api/v1/conversations/cv_x/state'],
    ['GET', '/api/v1/conversations/cv_x/notes'],
    ['PUT', '/api/v1/conversations/cv_x/link'],
    ['GET', '/api/v1/quick-replies'],
    ['GET', '/api/v1/scripts'],
    ['GET', '/api/v1/templates'],
    ['GET', '/api/v1/search?q=x'],
    ['POST', '/api/v1/media'],
    ['GET', '/api/v1/media/med_x'],
    ['GET', '/api/v1/events'],
  ];

  it('every route refuses missing, expired, wrongly signed and malformed tokens', async () => {
    const expired = await relay.token('alice', 'Alice', { ttl: '1s' });
    await new Promise((r) => setTimeout(r, 1100));
    const wrongKey = await new SignJWT({ name: 'Mallory' }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setIssuer('whatsapp-panel-relay').setExpirationTime('1h').sign(new TextEncoder().encode('another-secret-another-secret-another'));
    for (const [method, url] of routes) {
      for (const authorization of [undefined, `Bearer ${expired}`, `Bearer ${wrongKey}`, 'Bearer not.a.jwt', 'Basic YWxpY2U6eA==']) {
        const r = await relay.app.inject({ method, url, headers: authorization ? { authorization } : {} });
        assert.equal(r.statusCode, 401, `${method} ${url} with ${authorization?.slice(0, 12) ?? 'no token'}`);
      }
    }
    const r = await relay.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${expired}` } });
    assert.match(r.json().message, /expired/);
  });

  it("an agent cannot read or act on another agent's conversation; a supervisor can", async () => {
    const alice = await relay.availableAgent('alice');
    const id = await relay.activeConversation(alice, '+15550004444', 'private matter');
    const bob = await relay.availableAgent('bob');
    for (const [method, url, body] of [
      ['GET', `/api/v1/conversations/${id}`],
      ['GET', `/api/v1/conversations/${id}/messages`],
      ['POST', `/api/v1/conversations/${id}/messages`, { body: 'x' }],
      ['PUT', `/api/v1/conversations/${id}/state`, { state: 'waiting' }],
      ['POST', `/api/v1/conversations/${id}/notes`, { body: 'x' }],
      ['PUT', `/api/v1/conversations/${id}/link`, { entityType: 'contact', id: 'c1', name: 'x' }],
    ] as const) {
      const r = await relay.api(bob, method, url, body);
      assert.equal(r.statusCode, 404, `${method} ${url}`);
    }
    assert.deepEqual((await relay.api(bob, 'GET', '/api/v1/search?q=private')).json().items, []);
    // An open conversation offered to alice: to bob it does not exist, whatever state he asks for.
    await relay.inbound({ From: 'whatsapp:+15550004445', Body: 'hello?' });
    const sue = await relay.token('sue', 'Sue', { role: 'supervisor' });
    const open = (await relay.api(sue, 'GET', '/api/v1/conversations?state=open')).json().items as { id: string; customer: { phone: string } }[];
    const offered = open.find((c) => c.customer.phone === '+15550004445')!;
    assert.equal((await relay.api(sue, 'POST', `/api/v1/conversations/${offered.id}/assign`, { agentId: 'alice' })).statusCode, 200);
    assert.equal((await relay.api(bob, 'PUT', `/api/v1/conversations/${offered.id}/state`, { state: 'active' })).statusCode, 404, 'no hint that it exists');
    assert.equal((await relay.api(alice, 'PUT', `/api/v1/conversations/${offered.id}/state`, { state: 'active' })).statusCode, 409, 'its agent is told to accept');
    // Reading it, she may try to answer before accepting: told so, as docs/agent-api.md says, not that it does not exist.
    const early = await relay.api(alice, 'POST', `/api/v1/conversations/${offered.id}/messages`, { body: 'Hi!' });
    assert.deepEqual([early.statusCode, early.json().error, early.json().message], [409, 'invalid_transition', 'Accept the conversation first.']);
    assert.equal((await relay.api(sue, 'GET', `/api/v1/conversations/${id}/messages`)).statusCode, 200);
  });

  it("answers an oversized body or a long id in the API's own error shape, as documented", async () => {
    const alice = await relay.token('alice', 'Alice');
    const big = await relay.api(alice, 'PUT', '/api/v1/me/presence', { presence: 'available', padding: 'x'.repeat(1_100_000) });
    assert.deepEqual([big.statusCode, big.json().error], [413, 'body_too_large']);
    for (const length of [80, 200, 1500]) {
      const long = await relay.api(alice, 'GET', `/api/v1/conversations/${'x'.repeat(length)}`);
      assert.deepEqual([long.statusCode, long.json().error], [400, 'invalid_request'], `an id of ${length}`);
    }
    const doc = (await relay.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    assert.ok(doc.paths['/api/v1/me/presence'].put.responses['413'], 'the 413 is in the OpenAPI document');
  });

  it('serves the OpenAPI document', async () => {
    const r = await relay.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(r.statusCode, 200);
    const doc = r.json();
    assert.equal(doc.openapi, '3.0.3');
    assert.ok(doc.paths['/api/v1/conversations/{id}/messages'].post);
  });

  it('notes, links, quick replies, scripts and search work for the assigned agent', async () => {
    const alice = await relay.availableAgent('alice', 'Alice');
    const id = await relay.activeConversation(alice, '+15550005555', 'The tracking number does not work');
    const note = await relay.api(alice, 'POST', `/api/v1/conversations/${id}/notes`, { body: 'Asked for order number' });
    assert.equal(note.statusCode, 201);
    assert.equal(note.json().agentName, 'Alice');
    assert.equal((await relay.api(alice, 'GET', `/api/v1/conversations/${id}/notes`)).json().items.length, 1);
    const linked = await relay.api(alice, 'PUT', `/api/v1/conversations/${id}/link`, { entityType: 'incident', id: 'case-42', name: 'Tracking broken' });
    assert.equal(linked.json().linkedRecord.id, 'case-42');
    assert.equal((await relay.api(alice, 'DELETE', `/api/v1/conversations/${id}/link`)).json().linkedRecord, null);
    // A Dataverse table's logical name, or nothing is linked.
    const bogus = await relay.api(alice, 'PUT', `/api/v1/conversations/${id}/link`, { entityType: 'bogus!!', id: 'x', name: 'x' });
    assert.deepEqual([bogus.statusCode, bogus.json().error], [400, 'invalid_request']);
    const qr = (await relay.api(alice, 'GET', '/api/v1/quick-replies')).json().items;
    assert.ok(qr.some((q: { body: string }) => q.body.includes('{customer.name}')));
    assert.ok((await relay.api(alice, 'GET', '/api/v1/scripts')).json().items[0].steps.length >= 3);
    const hits = (await relay.api(alice, 'GET', '/api/v1/search?q=tracking')).json().items;
    assert.equal(hits[0].conversationId, id);
    assert.equal(hits[0].customer.phone, '+15550005555');
    const history = (await relay.api(alice, 'GET', '/api/v1/customers/+15550005555/conversations')).json().items;
    assert.equal(history.length, 1);
  });

  it('sets security headers and no CORS for unknown origins', async () => {
    const r = await relay.app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } });
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.match(String(r.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
  });
});

describe('rate limits and dev sign-in', () => {
  let relay: TestRelay;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay();
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  it('limits sends per agent with 429 and a clear message', async () => {
    const alice = await relay.availableAgent('alice');
    const id = await relay.activeConversation(alice, '+15550006666');
    const codes: number[] = [];
    for (let i = 0; i < 125; i++) codes.push((await relay.api(alice, 'POST', `/api/v1/conversations/${id}/messages`, { body: `m${i}` })).statusCode);
    assert.equal(codes.filter((c) => c === 202).length, 120);
    assert.equal(codes.at(-1), 429);
  });

  it('counts retries against the same limit: a loop of them cannot send past it', async () => {
    const alice = await relay.availableAgent('alice');
    const id = await relay.activeConversation(alice, '+15550006668');
    relay.twilio.failNext(1, { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    const failed = (await relay.api(alice, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'first' })).json().id as string;
    await relay.app.relay.outbox.drain();
    const codes: number[] = [];
    for (let i = 0; i < 121; i++) {
      codes.push((await relay.api(alice, 'POST', `/api/v1/conversations/${id}/messages/${failed}/retry`)).statusCode);
      if (codes.at(-1) === 429) break;
      relay.twilio.failNext(1, { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
      await relay.app.relay.outbox.drain();
    }
    assert.equal(codes.length, 120, 'the send and 119 retries, then 429');
    assert.equal(codes.at(-1), 429);
  });

  it('limits notes per agent to 60 a minute, a consultant too', async () => {
    const alice = await relay.availableAgent('alice');
    const id = await relay.activeConversation(alice, '+15550006667');
    const codes: number[] = [];
    for (let i = 0; i < 62; i++) codes.push((await relay.api(alice, 'POST', `/api/v1/conversations/${id}/notes`, { body: `n${i}` })).statusCode);
    assert.equal(codes.filter((c) => c === 201).length, 60);
    const refused = await relay.api(alice, 'POST', `/api/v1/conversations/${id}/notes`, { body: 'one more' });
    assert.deepEqual([refused.statusCode, refused.json().error], [429, 'rate_limited']);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.equal((await relay.api(alice, 'GET', `/api/v1/conversations/${id}/notes`)).json().items.length, 60, 'nothing of the refused ones kept');
  });

  it('tells the panel the auth mode and mints dev tokens only in dev mode', async () => {
    assert.deepEqual((await relay.app.inject({ method: 'GET', url: '/auth/config' })).json(), { mode: 'dev' });
  });
});
