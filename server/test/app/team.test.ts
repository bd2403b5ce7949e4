/** Team work over the agent API: dispositions and wrap-up, auto-close, queues, transfer, assignment, consult, the supervisor's overview. */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { OVERVIEW_CONVERSATIONS } from '../../src/usecases/supervisor-overview.ts';
import { DECLINE_MEMORY_MS } from '../../src/routing/router.ts';
import { closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';
import { inbound } from '../store/contract.ts';

const HOUR = 3_600_000;

describe('team work over the agent API', () => {
  let relay: TestRelay;
  let alice: string;
  let bob: string;
  let sue: string;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay({ env: { AUTO_CLOSE_AFTER: '24h' } });
    alice = await relay.availableAgent('alice', 'Alice');
    bob = await relay.availableAgent('bob', 'Bob');
    sue = await relay.token('sue', 'Sue', { role: 'supervisor' });
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  const state = (token: string, id: string, body: object) => relay.api(token, 'PUT', `/api/v1/conversations/${id}/state`, body);
  const eventsOf = async (agentId: string, supervisor = false) => relay.store.readEvents({ agentId, supervisor }, 0, 1000);
  /** A customer's new conversation, which the supervisor assigns to `agentId` and that agent accepts. */
  const heldBy = async (token: string, agentId: string, from: string, body: string) => {
    await relay.inbound({ From: `whatsapp:${from}`, Body: body });
    const open = (await relay.api(sue, 'GET', '/api/v1/conversations?state=open')).json().items as { id: string; customer: { phone: string } }[];
    const id = open.find((c) => c.customer.phone === from)!.id;
    assert.equal((await relay.api(sue, 'POST', `/api/v1/conversations/${id}/assign`, { agentId })).statusCode, 200);
    assert.equal((await relay.api(token, 'POST', `/api/v1/conversations/${id}/accept`)).statusCode, 200);
    return id;
  };

  it('keeps no summary for a close whose summary was left empty (null or blank), not an empty text', async () => {
    const id = await relay.activeConversation(alice, '+15550007010', 'thanks, all sorted');
    await state(alice, id, { state: 'wrapup' });
    const closed = await state(alice, id, { state: 'closed', disposition: 'resolved', summary: null });
    assert.equal(closed.statusCode, 200, closed.body);
    assert.equal(closed.json().summary, null, 'summary null');
    // A supervisor's force close with a blank summary.
    const other = await relay.activeConversation(bob, '+15550007011', 'spam spam');
    const forced = await state(sue, other, { state: 'closed', disposition: 'spam', summary: '   ' });
    assert.equal(forced.statusCode, 200, forced.body);
    assert.equal(forced.json().summary, null, 'summary of blanks');
    // The same close again (a retried request) is done; another wrap-up is refused, the first stays.
    assert.equal((await state(sue, other, { state: 'closed', disposition: 'spam', summary: null })).statusCode, 200);
    assert.equal((await state(sue, other, { state: 'closed' })).statusCode, 200, 'a close that names no wrap-up changes none');
    const again = await state(sue, other, { state: 'closed', disposition: 'resolved', summary: 'again' });
    assert.deepEqual([again.statusCode, again.json().error], [409, 'conversation_closed']);
    const kept = (await relay.api(sue, 'GET', `/api/v1/conversations/${other}`)).json();
    assert.deepEqual([kept.disposition, kept.summary], ['spam', null]);
  });

  it('lists dispositions and closes only with one of them, keeping the summary; a supervisor force-closes', async () => {
    const list = (await relay.api(alice, 'GET', '/api/v1/dispositions')).json().items as { id: string; label: string }[];
    assert.deepEqual(list.map((d) => d.id), ['resolved', 'follow-up', 'no-response', 'spam']);
    const id = await relay.activeConversation(alice, '+15550007000', 'where is my parcel');
    // Without a disposition the request is incomplete before the state matters (an active one
    // cannot close; the design's answer to "no disposition" comes first).
    const early = await state(alice, id, { state: 'closed' });
    assert.deepEqual([early.statusCode, early.json().error], [422, 'disposition_required']);
    const outOfTurn = await state(alice, id, { state: 'closed', disposition: 'resolved' });
    assert.deepEqual([outOfTurn.statusCode, outOfTurn.json().error], [409, 'invalid_transition']);
    await state(alice, id, { state: 'wrapup' });
    const missing = await state(alice, id, { state: 'closed' });
    assert.equal(missing.statusCode, 422);
    assert.equal(missing.json().error, 'disposition_required');
    for (const disposition of ['auto-closed', 'bogus']) {
      const bad = await state(alice, id, { state: 'closed', disposition });
      assert.deepEqual([bad.statusCode, bad.json().error], [422, 'unknown_disposition']);
    }
    const closed = await state(alice, id, { state: 'closed', disposition: 'follow-up', summary: 'Call back Monday' });
    assert.equal(closed.statusCode, 200);
    assert.deepEqual([closed.json().disposition, closed.json().summary], ['follow-up', 'Call back Monday']);
    const hits = (await relay.api(alice, 'GET', '/api/v1/search?q=parcel')).json().items as { disposition: string; summary: string }[];
    assert.deepEqual([hits[0]?.disposition, hits[0]?.summary], ['follow-up', 'Call back Monday'], 'the close shows in transcript search');

    const other = await relay.activeConversation(bob, '+15550007001');
    assert.equal((await state(bob, other, { state: 'closed', disposition: 'resolved' })).statusCode, 409);
    const forced = await state(sue, other, { state: 'closed', disposition: 'spam' });
    assert.equal(forced.statusCode, 200);
    assert.equal(forced.json().state, 'closed');
  });

  it('auto-closes a waiting conversation after AUTO_CLOSE_AFTER on the relay clock; the next message opens a new one pointing back', async () => {
    const id = await relay.activeConversation(alice, '+15550007100');
    await state(alice, id, { state: 'waiting' });
    relay.clock.advance(23 * HOUR);
    assert.deepEqual(await relay.app.relay.autoCloser.pass(), []);
    relay.clock.advance(HOUR);
    assert.deepEqual(await relay.app.relay.autoCloser.pass(), [id]);
    const c = (await relay.api(alice, 'GET', `/api/v1/conversations/${id}`)).json();
    assert.deepEqual([c.state, c.disposition], ['closed', 'auto-closed']);
    assert.ok((await eventsOf('alice')).some((e) => e.type === 'state' && (e.data as { conversation: { disposition: string } }).conversation.disposition === 'auto-closed'));
    await relay.inbound({ From: 'whatsapp:+15550007100', Body: 'me again' });
    const history = (await relay.api(sue, 'GET', '/api/v1/customers/+15550007100/conversations')).json().items as { id: string; previousConversationId: string | null }[];
    assert.equal(history.length, 2);
    assert.equal(history.find((x) => x.id !== id)?.previousConversationId, id);
  });

  it('closes a conversation left in wrap-up at the wrapUpEndsAt it shows (WRAP_UP_CLOSE_AFTER, default 1h) in the same pass, auto-closed with no summary', async () => {
    const id = await relay.activeConversation(alice, '+15550007150', 'thanks');
    const endsAt = new Date(relay.clock.now() + HOUR).toISOString();
    const entered = await state(alice, id, { state: 'wrapup' });
    assert.equal(entered.statusCode, 200, entered.body);
    assert.equal(entered.json().wrapUpEndsAt, endsAt);
    assert.equal((await relay.api(alice, 'GET', `/api/v1/conversations/${id}`)).json().wrapUpEndsAt, endsAt);
    const listed = (await relay.api(alice, 'GET', '/api/v1/conversations')).json().items as { id: string; wrapUpEndsAt: string | null }[];
    assert.equal(listed.find((c) => c.id === id)?.wrapUpEndsAt, endsAt);
    const told = (await eventsOf('alice')).filter((e) => e.type === 'state').at(-1)!.data as { conversation: { state: string; wrapUpEndsAt: string | null } };
    assert.deepEqual([told.conversation.state, told.conversation.wrapUpEndsAt], ['wrapup', endsAt]);
    // One still active shows none (Bob's: Alice's wrap-up counts toward her load, so the router offers him the next).
    const active = await relay.activeConversation(bob, '+15550007151');
    assert.equal((await relay.api(bob, 'GET', `/api/v1/conversations/${active}`)).json().wrapUpEndsAt, null);

    relay.clock.advance(HOUR - 1);
    assert.deepEqual(await relay.app.relay.autoCloser.pass(), []);
    relay.clock.advance(1);
    assert.deepEqual(await relay.app.relay.autoCloser.pass(), [id]);
    const c = (await relay.api(alice, 'GET', `/api/v1/conversations/${id}`)).json();
    assert.deepEqual([c.state, c.disposition, c.summary, c.wrapUpEndsAt], ['closed', 'auto-closed', null, null]);
    assert.ok((await eventsOf('alice')).some((e) => e.type === 'state' && (e.data as { conversation: { id: string; disposition: string } }).conversation.id === id && (e.data as { conversation: { disposition: string } }).conversation.disposition === 'auto-closed'));
    assert.equal((await relay.api(bob, 'GET', `/api/v1/conversations/${active}`)).json().state, 'active');
  });

  it("routes a customer's message written during the wrap-up as a new conversation pointing back, and leaves the wrap-up its agent's to close", async () => {
    const id = await relay.activeConversation(alice, '+15550007155', 'where is my parcel?');
    const entered = (await state(alice, id, { state: 'wrapup' })).json();
    relay.clock.advance(60_000);
    assert.equal((await relay.inbound({ From: 'whatsapp:+15550007155', Body: 'one more thing: the invoice' })).statusCode, 200);
    await relay.app.relay.router.kick();

    // Offered to Bob (Alice's wrap-up counts toward her load), as any customer waiting for an agent.
    const offer = (await eventsOf('bob')).find((e) => e.type === 'offer')?.data as { conversationId: string; conversation: { previousConversationId: string | null; state: string } } | undefined;
    assert.ok(offer, 'Bob is offered the new conversation');
    assert.notEqual(offer.conversationId, id);
    assert.deepEqual([offer.conversation.state, offer.conversation.previousConversationId], ['open', id]);
    const preview = (await relay.api(bob, 'GET', `/api/v1/conversations/${offer.conversationId}/messages?limit=20`)).json().items as { body: string }[];
    assert.deepEqual(preview.map((m) => m.body), ['one more thing: the invoice']);

    const wrapUp = (await relay.api(alice, 'GET', `/api/v1/conversations/${id}`)).json();
    assert.deepEqual([wrapUp.state, wrapUp.wrapUpEndsAt], ['wrapup', entered.wrapUpEndsAt], 'the wrap-up and its clock as they were');
    const transcript = (await relay.api(alice, 'GET', `/api/v1/conversations/${id}/messages`)).json().items as { body: string }[];
    assert.deepEqual(transcript.map((m) => m.body), ['where is my parcel?']);
    // The answer belongs in the new conversation: the wrap-up no longer writes to the customer.
    const late = await relay.api(alice, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'Sure, which invoice?' });
    assert.deepEqual([late.statusCode, late.json().error], [409, 'invalid_transition']);
    assert.match(late.json().message, /has ended/);
    assert.equal((await relay.api(alice, 'GET', `/api/v1/conversations/${id}/messages`)).json().items.length, 1, 'nothing sent');
    assert.equal((await state(alice, id, { state: 'closed', disposition: 'resolved', summary: null })).statusCode, 200);
  });

  it('makes a conversation its agent left waiting active again when the customer writes, and tells the agent', async () => {
    const id = await relay.activeConversation(alice, '+15550007156', 'I will look for the receipt');
    assert.equal((await state(alice, id, { state: 'waiting' })).json().state, 'waiting');
    const before = (await eventsOf('alice')).length;
    assert.equal((await relay.inbound({ From: 'whatsapp:+15550007156', Body: 'Found it: #A-1001' })).statusCode, 200);
    assert.equal((await relay.api(alice, 'GET', `/api/v1/conversations/${id}`)).json().state, 'active');
    const told = (await eventsOf('alice')).slice(before).map((e) => [e.type, (e.data as { conversation?: { state: string } }).conversation?.state ?? null]);
    assert.deepEqual(told, [['message', null], ['state', 'active']]);
  });

  it('gives a wrap-up no end with WRAP_UP_CLOSE_AFTER=0, and never closes it', async () => {
    await relay.close();
    relay = await startRelay({ env: { WRAP_UP_CLOSE_AFTER: '0' } });
    alice = await relay.availableAgent('alice', 'Alice');
    const id = await relay.activeConversation(alice, '+15550007160');
    assert.equal((await state(alice, id, { state: 'wrapup' })).json().wrapUpEndsAt, null);
    relay.clock.advance(30 * 24 * HOUR);
    assert.deepEqual(await relay.app.relay.autoCloser.pass(), []);
    assert.equal((await relay.api(alice, 'GET', `/api/v1/conversations/${id}`)).json().state, 'wrapup');
  });

  it('keeps queues: a supervisor puts one, numbers route to it, offers go to its members only; agents may not', async () => {
    const put = { name: 'Billing', agentIds: ['bob'], numbers: ['whatsapp:+14155230000'] };
    const refused = await relay.api(alice, 'PUT', '/api/v1/queues/billing', put);
    assert.deepEqual([refused.statusCode, refused.json().error], [403, 'forbidden']);
    const created = await relay.api(sue, 'PUT', '/api/v1/queues/billing', put);
    assert.equal(created.statusCode, 200);
    assert.deepEqual(created.json().numbers, ['whatsapp:+14155230000']);

    await relay.inbound({ From: 'whatsapp:+15550007200', To: 'whatsapp:+14155230000' });
    await relay.app.relay.router.kick();
    const bobs = (await relay.api(bob, 'GET', '/api/v1/conversations?state=open')).json().items as { queueId: string; offer: { agentId: string } | null }[];
    assert.equal(bobs.length, 1);
    assert.equal(bobs[0]!.queueId, 'billing');
    assert.equal((await relay.api(alice, 'GET', '/api/v1/conversations?state=open')).json().items.length, 0);

    const mine = (await relay.api(bob, 'GET', '/api/v1/queues')).json().items as { id: string; waiting: number }[];
    assert.deepEqual(mine.map((q) => [q.id, q.waiting]), [['billing', 1]]);
    const all = (await relay.api(sue, 'GET', '/api/v1/queues')).json().items as { id: string; agentIds: string[] }[];
    assert.deepEqual(all.map((q) => q.id), ['billing', 'general']);
    // Where to transfer: every queue, the agent's or not.
    const targets = (await relay.api(bob, 'GET', '/api/v1/queues?all=true')).json().items as { id: string; agentIds: string[]; numbers: string[] }[];
    assert.deepEqual(targets.map((q) => q.id), ['billing', 'general']);
    // Of a queue he does not work, its name and counts: not who works it, nor its business numbers.
    assert.deepEqual(targets.map((q) => [q.id, q.agentIds.length > 0, q.numbers.length > 0]), [['billing', true, true], ['general', false, false]]);
    await relay.app.relay.queues.flush();
    assert.ok((await eventsOf('sue', true)).some((e) => e.type === 'queue' && (e.data as { queueId: string }).queueId === 'billing'));
  });

  it("refuses a business number another queue routes (it is moved by taking it out there first), and a blank name", async () => {
    const put = (id: string, body: object) => relay.api(sue, 'PUT', `/api/v1/queues/${id}`, body);
    assert.equal((await put('sales', { name: 'Sales', agentIds: ['bob'], numbers: ['whatsapp:+14155230010'] })).statusCode, 200);
    for (const id of ['support', 'general']) {
      const taken = await put(id, { name: 'Support', agentIds: ['alice'], numbers: ['whatsapp:+14155230010'] });
      assert.deepEqual([taken.statusCode, taken.json().error], [409, 'number_in_another_queue'], id);
      assert.match(taken.json().message, /whatsapp:\+14155230010 is in the queue "Sales"/);
    }
    const queues = (await relay.api(sue, 'GET', '/api/v1/queues')).json().items as { id: string; numbers: string[] }[];
    assert.deepEqual(queues.find((q) => q.id === 'sales')?.numbers, ['whatsapp:+14155230010'], 'sales keeps its number');
    assert.equal(queues.some((q) => q.id === 'support'), false, 'nothing of the refused put was kept');
    assert.equal((await put('sales', { name: 'Sales', agentIds: ['bob'], numbers: [] })).statusCode, 200);
    assert.equal((await put('support', { name: 'Support', agentIds: ['alice'], numbers: ['whatsapp:+14155230010'] })).statusCode, 200, 'once free, it can go');
    assert.equal((await put('sales', { name: '   ', agentIds: [], numbers: [] })).statusCode, 400);
  });

  it("withdraws an offer from an agent the supervisor takes out of the queue, and offers the customer to the queue's members", async () => {
    const put = (agentIds: string[]) => relay.api(sue, 'PUT', '/api/v1/queues/billing', { name: 'Billing', agentIds, numbers: ['whatsapp:+14155230000'] });
    assert.equal((await put(['alice'])).statusCode, 200);
    await relay.inbound({ From: 'whatsapp:+15550007250', To: 'whatsapp:+14155230000' });
    await relay.app.relay.router.kick();
    const offered = (await relay.api(alice, 'GET', '/api/v1/conversations?state=open')).json().items as { id: string }[];
    assert.equal(offered.length, 1, 'offered to the queue member');
    const id = offered[0]!.id;

    assert.equal((await put(['bob'])).statusCode, 200);
    await relay.app.relay.router.kick();
    assert.deepEqual((await relay.api(alice, 'GET', '/api/v1/conversations?state=open')).json().items, [], 'no longer offered to alice');
    assert.ok(
      (await eventsOf('alice')).some((e) => e.type === 'offer_withdrawn' && (e.data as { conversationId: string }).conversationId === id),
      "alice's panel is told the offer is gone",
    );
    assert.equal((await relay.api(alice, 'POST', `/api/v1/conversations/${id}/accept`)).statusCode, 409, 'alice can no longer accept it');
    const bobs = (await relay.api(bob, 'GET', '/api/v1/conversations?state=open')).json().items as { id: string }[];
    assert.deepEqual(bobs.map((c) => c.id), [id], "offered to the queue's member now");
  });

  it("keeps a supervisor's assignment when the assigned agent leaves the conversation's queue", async () => {
    await relay.inbound({ From: 'whatsapp:+15550007260' });
    const id = (await relay.api(sue, 'GET', '/api/v1/conversations?state=open')).json().items[0].id as string;
    assert.equal((await relay.api(sue, 'POST', `/api/v1/conversations/${id}/assign`, { agentId: 'alice' })).statusCode, 200);
    const before = await relay.store.latestEventId();
    // Alice joins Sales, so she no longer works the default queue this customer waits in.
    assert.equal((await relay.api(sue, 'PUT', '/api/v1/queues/sales', { name: 'Sales', agentIds: ['alice'], numbers: ['whatsapp:+14155239999'] })).statusCode, 200);
    await relay.app.relay.router.kick();
    const told = await relay.store.readEvents({ agentId: 'alice', supervisor: false }, before, 100);
    assert.ok(!told.some((e) => e.type === 'offer_withdrawn'), "alice's offer card stays");
    const accepted = await relay.api(alice, 'POST', `/api/v1/conversations/${id}/accept`);
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json().assignedAgentId, 'alice');
  });

  it('withdraws a routed offer of a customer transferred to a queue when the agent leaves that queue', async () => {
    const id = await heldBy(bob, 'bob', '+15550007270', 'Hello');
    assert.equal((await relay.api(sue, 'PUT', '/api/v1/queues/billing', { name: 'Billing', agentIds: ['alice'], numbers: ['whatsapp:+14155230000'] })).statusCode, 200);
    assert.equal((await relay.api(bob, 'POST', `/api/v1/conversations/${id}/transfer`, { queueId: 'billing', note: 'About an invoice' })).statusCode, 202);
    await relay.app.relay.router.kick();
    assert.deepEqual((await relay.api(alice, 'GET', '/api/v1/conversations?state=open')).json().items.map((c: { id: string }) => c.id), [id], 'offered to the queue member');

    const carol = await relay.availableAgent('carol', 'Carol');
    const before = await relay.store.latestEventId();
    assert.equal((await relay.api(sue, 'PUT', '/api/v1/queues/billing', { name: 'Billing', agentIds: ['carol'], numbers: ['whatsapp:+14155230000'] })).statusCode, 200);
    await relay.app.relay.router.kick();
    const told = await relay.store.readEvents({ agentId: 'alice', supervisor: false }, before, 100);
    assert.ok(told.some((e) => e.type === 'offer_withdrawn' && (e.data as { conversationId: string }).conversationId === id), "alice's offer card goes");
    assert.equal((await relay.api(alice, 'POST', `/api/v1/conversations/${id}/accept`)).statusCode, 409, 'alice can no longer accept it');
    assert.deepEqual((await relay.api(carol, 'GET', '/api/v1/conversations?state=open')).json().items.map((c: { id: string }) => c.id), [id], "offered to the queue's member now");
  });

  it('transfers to an agent with a note: the offer says who and why (live and when listed), the holder loses it; bad targets are refused', async () => {
    const id = await relay.activeConversation(alice, '+15550007300');
    const post = (token: string, body: object) => relay.api(token, 'POST', `/api/v1/conversations/${id}/transfer`, body);
    assert.deepEqual([(await post(alice, { agentId: 'alice' })).json().error], ['transfer_to_self']);
    assert.equal((await post(alice, { agentId: 'nobody' })).statusCode, 404);
    assert.equal((await post(alice, { queueId: 'nowhere' })).statusCode, 404);
    assert.equal((await post(alice, { agentId: 'bob', queueId: 'general' })).statusCode, 400);
    assert.equal((await post(alice, { agentId: 'bob', note: 'x'.repeat(1001) })).statusCode, 400);
    const carol = await relay.token('carol', 'Carol');
    await relay.api(carol, 'GET', '/api/v1/me');
    const offline = await post(alice, { agentId: 'carol' });
    assert.deepEqual([offline.statusCode, offline.json().error], [409, 'agent_unavailable']);
    assert.equal((await post(bob, { agentId: 'alice' })).statusCode, 404, 'not the holder');

    assert.equal((await post(alice, { agentId: 'bob', note: 'Billing question' })).statusCode, 202);
    assert.equal((await relay.api(alice, 'GET', `/api/v1/conversations/${id}`)).statusCode, 404);
    const offer = (await eventsOf('bob')).find((e) => e.type === 'offer' && (e.data as { conversationId: string }).conversationId === id);
    const transfer = { fromAgentId: 'alice', fromAgentName: 'Alice', note: 'Billing question' };
    assert.deepEqual((offer?.data as { transfer: unknown }).transfer, transfer);
    // A panel opened (or reloaded) with the offer pending reads it from the list: it says the same.
    const listed = async () => (await relay.api(bob, 'GET', '/api/v1/conversations')).json().items.find((c: { id: string }) => c.id === id);
    assert.deepEqual((await listed()).transfer, transfer);
    const accepted = (await relay.api(bob, 'POST', `/api/v1/conversations/${id}/accept`)).json();
    assert.deepEqual([accepted.assignedAgentId, accepted.transfer, (await listed()).transfer], ['bob', null, null], 'no longer a transfer once accepted');
    // The note outlives the offer: it is one of the conversation's notes, by the agent who wrote it.
    const notes = (await relay.api(bob, 'GET', `/api/v1/conversations/${id}/notes`)).json().items as { agentName: string; body: string }[];
    assert.deepEqual(notes.map((n) => [n.agentName, n.body]), [['Alice', 'Billing question']]);
  });

  it('offers a transfer the colleague rejected back at once to the agent who made it, when no one else can take it, as their own', async () => {
    const id = await relay.activeConversation(alice, '+15550007310');
    assert.equal((await relay.api(alice, 'POST', `/api/v1/conversations/${id}/transfer`, { agentId: 'bob', note: 'Billing question' })).statusCode, 202);
    const before = await relay.store.latestEventId();
    assert.equal((await relay.api(bob, 'POST', `/api/v1/conversations/${id}/reject`)).statusCode, 204);
    await relay.app.relay.router.kick();
    const offers = (await relay.store.readEvents({ agentId: 'alice', supervisor: false }, before, 100)).filter((e) => e.type === 'offer');
    assert.equal(offers.length, 1, 'offered again to alice, the one available: the customer does not wait while she is free');
    assert.equal((offers[0]!.data as { transfer: unknown }).transfer, null);
  });

  it('offers a conversation its holder handed to the queue to another member first, its sender last', async () => {
    const id = await relay.activeConversation(alice, '+15550007320');
    assert.equal((await relay.api(bob, 'PUT', '/api/v1/me/presence', { presence: 'away' })).statusCode, 200);
    const carol = await relay.token('carol', 'Carol');
    assert.equal((await relay.api(carol, 'PUT', '/api/v1/me/presence', { presence: 'available' })).statusCode, 200);
    assert.equal((await relay.api(alice, 'POST', `/api/v1/conversations/${id}/transfer`, { queueId: 'general' })).statusCode, 202);
    await relay.app.relay.router.kick();
    const offered = async () => (await relay.api(sue, 'GET', `/api/v1/conversations/${id}`)).json().offer?.agentId as string | undefined;
    assert.equal(await offered(), 'carol');
    assert.equal((await relay.api(carol, 'POST', `/api/v1/conversations/${id}/reject`)).statusCode, 204);
    await relay.app.relay.router.kick();
    assert.equal(await offered(), 'alice', 'no one else free: back to its sender');
  });

  it('keeps a wrap-up with its agent: neither the holder nor a supervisor transfers it', async () => {
    const id = await relay.activeConversation(alice, '+15550007340');
    assert.equal((await relay.api(alice, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'wrapup' })).statusCode, 200);
    for (const [who, token] of [['holder', alice], ['supervisor', sue]] as const) {
      const r = await relay.api(token, 'POST', `/api/v1/conversations/${id}/transfer`, { agentId: 'bob' });
      assert.deepEqual([r.statusCode, r.json().error], [409, 'invalid_transition'], who);
    }
    assert.equal((await relay.api(alice, 'GET', `/api/v1/conversations/${id}`)).json().state, 'wrapup');
  });

  it('keeps a conversation a supervisor took from its holder away from that holder a while', async () => {
    const id = await relay.activeConversation(alice, '+15550007330');
    assert.equal((await relay.api(bob, 'PUT', '/api/v1/me/presence', { presence: 'away' })).statusCode, 200);
    assert.equal((await relay.api(sue, 'POST', `/api/v1/conversations/${id}/transfer`, { queueId: 'general' })).statusCode, 202);
    await relay.app.relay.router.kick();
    const offered = async () => (await relay.api(sue, 'GET', `/api/v1/conversations/${id}`)).json().offer?.agentId as string | undefined;
    assert.equal(await offered(), undefined, 'alice is free, but the supervisor took it from her');
    relay.clock.advance(DECLINE_MEMORY_MS + 1000);
    await relay.app.relay.router.kick();
    assert.equal(await offered(), 'alice');
  });

  it('lets a supervisor assign an open conversation; agents may not', async () => {
    await relay.inbound({ From: 'whatsapp:+15550007400' });
    const id = (await relay.api(sue, 'GET', '/api/v1/conversations?state=open')).json().items[0].id as string;
    assert.equal((await relay.api(alice, 'POST', `/api/v1/conversations/${id}/assign`, { agentId: 'bob' })).statusCode, 403);
    const assigned = await relay.api(sue, 'POST', `/api/v1/conversations/${id}/assign`, { agentId: 'bob' });
    assert.equal(assigned.statusCode, 200);
    assert.equal(assigned.json().offer.agentId, 'bob');
  });

  it('runs a consult: the consultant reads and notes, its send is 403 consult_only and nothing is sent; either side ends it', async () => {
    const id = await relay.activeConversation(alice, '+15550007500');
    // The holder's call: a supervisor, who may act on any conversation, does not invite to another's.
    const bySupervisor = await relay.api(sue, 'POST', `/api/v1/conversations/${id}/consult`, { agentId: 'bob' });
    assert.deepEqual([bySupervisor.statusCode, bySupervisor.json().error], [403, 'forbidden']);
    // An offline colleague would never see the invitation.
    const carol = await relay.token('carol', 'Carol');
    await relay.api(carol, 'GET', '/api/v1/me');
    const offline = await relay.api(alice, 'POST', `/api/v1/conversations/${id}/consult`, { agentId: 'carol' });
    assert.deepEqual([offline.statusCode, offline.json().error], [409, 'agent_unavailable']);
    assert.equal((await relay.api(alice, 'POST', `/api/v1/conversations/${id}/consult`, { agentId: 'bob' })).statusCode, 202);
    assert.deepEqual((await relay.api(bob, 'GET', `/api/v1/conversations/${id}`)).json().consultants, ['bob']);
    assert.equal((await relay.api(bob, 'GET', `/api/v1/conversations/${id}/messages`)).statusCode, 200);
    assert.equal((await relay.api(bob, 'POST', `/api/v1/conversations/${id}/notes`, { body: 'Offer a refund' })).statusCode, 201);
    const send = await relay.api(bob, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'Hi from Bob' });
    assert.deepEqual([send.statusCode, send.json().error], [403, 'consult_only']);
    assert.equal(relay.twilio.sent.length, 0);
    assert.ok((await eventsOf('bob')).some((e) => e.type === 'consult'));
    await relay.inbound({ From: 'whatsapp:+15550007500', Body: 'any news?' });
    const heard = (await eventsOf('bob')).map((e) => e.type);
    assert.ok(heard.includes('message') && heard.includes('note'), 'the consultant follows the transcript and notes live');

    assert.equal((await relay.api(bob, 'DELETE', `/api/v1/conversations/${id}/consult`)).statusCode, 204);
    assert.equal((await relay.api(bob, 'GET', `/api/v1/conversations/${id}`)).statusCode, 404);
    await state(alice, id, { state: 'wrapup' });
    await state(alice, id, { state: 'closed', disposition: 'resolved' });
    const late = await relay.api(alice, 'POST', `/api/v1/conversations/${id}/consult`, { agentId: 'bob' });
    assert.deepEqual([late.statusCode, late.json().error], [409, 'conversation_closed']);
  });

  it("shows a consultant the customer's previous conversations, as the holder sees them, while the consult lasts", async () => {
    const phone = '+15550007502';
    const first = await heldBy(bob, 'bob', phone, 'my order never came');
    await state(bob, first, { state: 'wrapup' });
    await state(bob, first, { state: 'closed', disposition: 'follow-up', summary: 'Courier lost it' });
    const id = await heldBy(alice, 'alice', phone, 'still no parcel');
    const carol = await relay.availableAgent('carol', 'Carol');
    const history = async (token: string) =>
      ((await relay.api(token, 'GET', `/api/v1/customers/${phone}/conversations`)).json().items as { id: string }[]).map((c) => c.id).sort();
    assert.deepEqual(await history(alice), [first, id].sort(), 'the holder sees the earlier conversation');

    assert.equal((await relay.api(alice, 'POST', `/api/v1/conversations/${id}/consult`, { agentId: 'carol' })).statusCode, 202);
    assert.equal((await relay.api(carol, 'GET', `/api/v1/conversations/${id}`)).json().previousConversationId, first);
    assert.deepEqual(await history(carol), await history(alice), 'the consultant sees what the holder sees');

    assert.equal((await relay.api(carol, 'DELETE', `/api/v1/conversations/${id}/consult`)).statusCode, 204);
    assert.deepEqual(await history(carol), [], 'not once the consult is over');
  });

  it('ends a consult when the conversation closes: the consultant is told, no longer sees it, adds no notes', async () => {
    const id = await relay.activeConversation(alice, '+15550007501');
    assert.equal((await relay.api(alice, 'POST', `/api/v1/conversations/${id}/consult`, { agentId: 'bob' })).statusCode, 202);
    await state(alice, id, { state: 'wrapup' });
    const closed = await state(alice, id, { state: 'closed', disposition: 'resolved' });
    assert.deepEqual(closed.json().consultants, []);
    const ended = (await eventsOf('bob')).filter((e) => e.type === 'consult' && (e.data as { ended: boolean }).ended);
    assert.equal(ended.length, 1, 'the consultant is told its consult is over');
    assert.equal((await relay.api(bob, 'POST', `/api/v1/conversations/${id}/notes`, { body: 'late note' })).statusCode, 404);
    const listed = (await relay.api(bob, 'GET', '/api/v1/conversations')).json().items as { id: string }[];
    assert.ok(!listed.some((c) => c.id === id), 'no longer in the consultant\'s list');
  });

  it('lists the agents a holder may transfer to or consult, with whether each can take one more now', async () => {
    const carol = await relay.token('carol', 'Carol');
    await relay.api(carol, 'GET', '/api/v1/me'); // known, offline
    await relay.api(bob, 'PUT', '/api/v1/me/presence', { presence: 'dnd' });
    assert.equal((await relay.api('', 'GET', '/api/v1/agents')).statusCode, 401);
    const response = await relay.api(alice, 'GET', '/api/v1/agents');
    assert.equal(response.statusCode, 200);
    const byId = new Map((response.json().items as { id: string; name: string; presence: string; available: boolean }[]).map((a) => [a.id, a]));
    assert.deepEqual(byId.get('alice'), { id: 'alice', name: 'Alice', presence: 'available', available: true });
    assert.deepEqual([byId.get('bob')?.presence, byId.get('bob')?.available], ['dnd', false]);
    assert.deepEqual([byId.get('carol')?.presence, byId.get('carol')?.available], ['offline', false]);

    // At capacity: listed as unavailable, as the transfer would refuse it (409 agent_unavailable).
    await relay.api(bob, 'PUT', '/api/v1/me/presence', { presence: 'available' });
    await relay.api(alice, 'PUT', '/api/v1/me/presence', { presence: 'away' }); // every new conversation goes to bob
    const capacity = (await relay.api(bob, 'GET', '/api/v1/me')).json().capacity as number;
    for (let i = 0; i < capacity; i++) await relay.activeConversation(bob, `+1555000780${i}`);
    const full = (await relay.api(alice, 'GET', '/api/v1/agents')).json().items.find((a: { id: string }) => a.id === 'bob');
    assert.equal(full.available, false);
  });

  it('shows a supervisor every agent, queue and live conversation; an agent gets 403', async () => {
    const active = await relay.activeConversation(alice, '+15550007600');
    await relay.inbound({ From: 'whatsapp:+15550007601', Body: 'this is terrible and awful' });
    assert.equal((await relay.api(alice, 'GET', '/api/v1/supervisor/overview')).statusCode, 403);
    const o = (await relay.api(sue, 'GET', '/api/v1/supervisor/overview')).json();
    assert.deepEqual(
      o.agents.filter((a: { id: string }) => a.id !== 'sue').map((a: { id: string; load: number; presence: string }) => [a.id, a.presence, a.load]),
      [['alice', 'available', 1], ['bob', 'available', 1]], // bob's load: the live offer of the waiting one
    );
    assert.deepEqual(o.queues.map((q: { id: string; waiting: number }) => [q.id, q.waiting]), [['general', 1]]);
    const byId = new Map(o.conversations.map((c: { id: string }) => [c.id, c]));
    assert.equal((byId.get(active) as { agentId: string }).agentId, 'alice');
    const waiting = o.conversations.find((c: { state: string }) => c.state === 'open');
    assert.ok(waiting.waitingSince);
    assert.deepEqual([waiting.agentId, waiting.offeredTo], [null, 'bob'], 'the agent whose answer it waits on');
    assert.equal((byId.get(active) as { offeredTo: string | null }).offeredTo, null);
    assert.ok(waiting.sentiment.score < 0);
    assert.equal(o.conversationsTotal, o.conversations.length);
  });

  it('says how many live conversations there are when the overview lists only the newest', async () => {
    const base = Date.parse('2026-06-01T08:00:00Z');
    for (let i = 0; i <= OVERVIEW_CONVERSATIONS; i++) {
      const from = `+1555100${String(i).padStart(4, '0')}`;
      await relay.store.recordInbound(inbound({ from, waId: from.slice(1), receivedAt: base + i }));
    }
    const o = (await relay.api(sue, 'GET', '/api/v1/supervisor/overview')).json();
    assert.equal(o.conversations.length, OVERVIEW_CONVERSATIONS);
    assert.equal(o.conversationsTotal, OVERVIEW_CONVERSATIONS + 1);
  });
});
