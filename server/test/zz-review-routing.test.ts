/** Review probes: routing, offers, transfer, consult. Each test states the behaviour an agent, customer or supervisor expects. */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { closeFakeTwilio, startRelay, type TestRelay } from './helpers/harness.ts';

const MIN = 60_000;
type Api = { id: string; state: string; queueId: string; consultants: string[]; offer: { agentId: string } | null; customer: { phone: string } };

describe('review: routing', () => {
  let relay: TestRelay | undefined;
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });
  after(() => closeFakeTwilio());

  const list = async (r: TestRelay, token: string, state = '') =>
    (await r.api(token, 'GET', `/api/v1/conversations${state ? `?state=${state}` : ''}`)).json().items as Api[];
  const settle = async (r: TestRelay) => {
    await r.app.relay.router.kick();
    await r.app.relay.router.kick();
  };

  it('a consult ends when the conversation closes (the consultant is told, loses the read-only tab, cannot add notes)', async () => {
    relay = await startRelay();
    const r = relay;
    const alice = await r.availableAgent('alice', 'Alice');
    const bob = await r.availableAgent('bob', 'Bob');
    const id = await r.activeConversation(alice, '+15550009001');
    assert.equal((await r.api(alice, 'POST', `/api/v1/conversations/${id}/consult`, { agentId: 'bob' })).statusCode, 202);
    await r.api(alice, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'wrapup' });
    const closed = await r.api(alice, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'closed', disposition: 'resolved' });
    assert.equal(closed.json().state, 'closed');
    const ended = (await r.store.readEvents({ agentId: 'bob', supervisor: false }, 0, 1000)).filter(
      (e) => e.type === 'consult' && (e.data as { ended: boolean }).ended,
    );
    const note = await r.api(bob, 'POST', `/api/v1/conversations/${id}/notes`, { body: 'late note after close' });
    const stillListed = (await list(r, bob)).some((c) => c.id === id);
    assert.deepEqual(
      { consultants: closed.json().consultants, endedEvents: ended.length, noteStatus: note.statusCode, stillListedToConsultant: stillListed },
      { consultants: [], endedEvents: 1, noteStatus: 404, stillListedToConsultant: false },
    );
  });

  it('a conversation in a queue with a free member is offered even when 100 older ones wait in another queue', async () => {
    relay = await startRelay();
    const r = relay;
    const sue = await r.token('sue', 'Sue', { role: 'supervisor' });
    // Billing's only member (bob) is offline: its customers wait.
    assert.equal((await r.api(sue, 'PUT', '/api/v1/queues/billing', { name: 'Billing', agentIds: ['bob'], numbers: ['whatsapp:+14155230000'] })).statusCode, 200);
    for (let i = 0; i < 100; i++) {
      const res = await r.inbound({ From: `whatsapp:+1555001${String(i).padStart(4, '0')}`, To: 'whatsapp:+14155230000' });
      assert.equal(res.statusCode, 200);
    }
    r.clock.advance(1000);
    await r.inbound({ From: 'whatsapp:+15550019999' }); // the general queue (the default business number)
    const alice = await r.availableAgent('alice', 'Alice'); // works the general queue, free
    await settle(r);
    const offered = (await list(r, alice, 'open')).map((c) => c.customer.phone);
    assert.deepEqual(offered, ['+15550019999'], 'alice, free in general, is offered the general customer');
  });

  it('the router does not offer to an agent who went Away while its pass was running', async () => {
    relay = await startRelay();
    const r = relay;
    const alice = await r.availableAgent('alice', 'Alice');
    await settle(r);
    const store = r.store;
    const original = store.listUnoffered.bind(store);
    let once = true;
    // The interleaving a busy relay sees: the router read its snapshot; meanwhile alice clicks Away.
    store.listUnoffered = async (now: number, limit: number) => {
      const rows = await original(now, limit);
      if (once) {
        once = false;
        assert.equal((await r.api(alice, 'PUT', '/api/v1/me/presence', { presence: 'away' })).statusCode, 200);
      }
      return rows;
    };
    await r.inbound({ From: 'whatsapp:+15550009101' });
    await settle(r);
    store.listUnoffered = original;
    const me = (await r.api(alice, 'GET', '/api/v1/me')).json();
    const offers = (await list(r, alice, 'open')).filter((c) => c.offer?.agentId === 'alice');
    assert.deepEqual({ presence: me.presence, offersToAlice: offers.length }, { presence: 'away', offersToAlice: 0 });
  });

  it('the router does not push an agent past capacity when a supervisor assigns during its pass', async () => {
    relay = await startRelay({ env: { AGENT_CAPACITY: '1' } });
    const r = relay;
    const sue = await r.token('sue', 'Sue', { role: 'supervisor' });
    // Two waiting customers, no agent yet.
    await r.inbound({ From: 'whatsapp:+15550009201' });
    r.clock.advance(1000);
    await r.inbound({ From: 'whatsapp:+15550009202' });
    const open = (await list(r, sue, 'open')).sort((a, b) => a.customer.phone.localeCompare(b.customer.phone));
    const [x, y] = open as [Api, Api];
    const store = r.store;
    const original = store.listUnoffered.bind(store);
    let once = true;
    store.listUnoffered = async (now: number, limit: number) => {
      const rows = await original(now, limit);
      if (once) {
        once = false;
        // Meanwhile the supervisor assigns Y to alice (she has room: 0 of 1).
        const a = await r.api(sue, 'POST', `/api/v1/conversations/${y.id}/assign`, { agentId: 'alice' });
        assert.equal(a.statusCode, 200, a.body);
      }
      return rows;
    };
    const alice = await r.token('alice', 'Alice');
    await r.api(alice, 'PUT', '/api/v1/me/presence', { presence: 'available' });
    await settle(r);
    store.listUnoffered = original;
    const agents = (await r.api(sue, 'GET', '/api/v1/supervisor/overview')).json().agents as { id: string; load: number; capacity: number }[];
    const a = agents.find((g) => g.id === 'alice')!;
    assert.ok(x.id);
    assert.ok(a.load <= a.capacity, `alice holds ${a.load} offers/conversations at capacity ${a.capacity}`);
  });

  it('offers the customer who has waited longest first, after a transfer to the queue', async () => {
    relay = await startRelay({ env: { AGENT_CAPACITY: '1' } });
    const r = relay;
    const sue = await r.token('sue', 'Sue', { role: 'supervisor' });
    const carol = await r.availableAgent('carol', 'Carol');
    const a = await r.activeConversation(carol, '+15550009301'); // A: created t0, carol's
    r.clock.advance(MIN);
    await r.inbound({ From: 'whatsapp:+15550009302' }); // B: waits from t0+1m (carol full)
    await settle(r);
    r.clock.advance(9 * MIN);
    assert.equal((await r.api(carol, 'POST', `/api/v1/conversations/${a}/transfer`, { queueId: 'general' })).statusCode, 202);
    await r.api(carol, 'PUT', '/api/v1/me/presence', { presence: 'away' });
    await settle(r);
    const q = ((await r.api(sue, 'GET', '/api/v1/queues')).json().items as { id: string; waiting: number; longestWaitSince: string }[]).find((x) => x.id === 'general')!;
    const alice = await r.availableAgent('alice', 'Alice'); // one free seat
    await settle(r);
    const offered = (await list(r, alice, 'open')).map((c) => c.customer.phone);
    assert.equal(q.longestWaitSince, new Date(Date.parse('2026-06-01T08:00:00Z') + MIN).toISOString(), 'the queue says B waits longest');
    assert.deepEqual(offered, ['+15550009302'], 'B (waiting 9 min) before A (back in the queue just now)');
  });

  it('an agent going Away or Offline gives back its pending offer, so a free colleague gets it now', async () => {
    relay = await startRelay({ env: { OFFER_TIMEOUT_SECONDS: '120' } });
    const r = relay;
    const alice = await r.availableAgent('alice', 'Alice');
    await r.inbound({ From: 'whatsapp:+15550009401' });
    await settle(r);
    assert.equal((await list(r, alice, 'open')).length, 1);
    const bob = await r.availableAgent('bob', 'Bob');
    await r.api(alice, 'PUT', '/api/v1/me/presence', { presence: 'offline' });
    await settle(r);
    r.clock.advance(10_000);
    await settle(r);
    assert.equal((await list(r, bob, 'open')).length, 1, 'bob is offered it while alice is offline');
  });
});

describe('review: controls and extras', () => {
  let relay: TestRelay | undefined;
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });
  after(() => closeFakeTwilio());

  it('control: with 99 waiting in billing the general customer IS offered to alice', async () => {
    relay = await startRelay();
    const r = relay;
    const sue = await r.token('sue', 'Sue', { role: 'supervisor' });
    await r.api(sue, 'PUT', '/api/v1/queues/billing', { name: 'Billing', agentIds: ['bob'], numbers: ['whatsapp:+14155230000'] });
    for (let i = 0; i < 99; i++) await r.inbound({ From: `whatsapp:+1555001${String(i).padStart(4, '0')}`, To: 'whatsapp:+14155230000' });
    r.clock.advance(1000);
    await r.inbound({ From: 'whatsapp:+15550019999' });
    const alice = await r.availableAgent('alice', 'Alice');
    await r.app.relay.router.kick();
    await r.app.relay.router.kick();
    const offered = ((await r.api(alice, 'GET', '/api/v1/conversations?state=open')).json().items as { customer: { phone: string } }[]).map((c) => c.customer.phone);
    assert.deepEqual(offered, ['+15550019999']);
  });

  it('an Available supervisor, listed as no member of general, is not offered its customers', async () => {
    relay = await startRelay();
    const r = relay;
    const sue = await r.token('sue', 'Sue', { role: 'supervisor' });
    const p = await r.api(sue, 'PUT', '/api/v1/me/presence', { presence: 'available' });
    await r.inbound({ From: 'whatsapp:+15550009501' });
    await r.app.relay.router.kick();
    await r.app.relay.router.kick();
    const members = ((await r.api(sue, 'GET', '/api/v1/queues')).json().items as { id: string; agentIds: string[] }[]).find((q) => q.id === 'general')!.agentIds;
    const c = ((await r.api(sue, 'GET', '/api/v1/conversations?state=open')).json().items as { offer: { agentId: string } | null }[])[0];
    assert.equal(p.statusCode, 200);
    assert.deepEqual({ members, offeredTo: c?.offer?.agentId ?? null }, { members: [], offeredTo: null });
  });
});
