/** A supervisor's Assign offers a waiting customer to an agent: the customer's wait goes on (overview, queue's longest wait). */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';

describe('supervisor assign', () => {
  let relay: TestRelay;
  let sue: string;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay();
    await relay.availableAgent('bob', 'Bob');
    sue = await relay.token('sue', 'Sue', { role: 'supervisor' });
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  it("keeps a waiting customer's wait when a supervisor assigns the conversation (it still waits for an agent)", async () => {
    // Bob is offline when the customer writes, so the conversation waits in the queue.
    const bob = await relay.token('bob', 'Bob');
    await relay.api(bob, 'PUT', '/api/v1/me/presence', { presence: 'offline' });
    const arrived = relay.clock.now();
    await relay.inbound({ From: 'whatsapp:+15550008800', Body: 'Is anyone there?' });
    await relay.app.relay.router.kick();
    relay.clock.advance(10 * 60_000);
    await relay.api(bob, 'PUT', '/api/v1/me/presence', { presence: 'available' });
    const before = (await relay.api(sue, 'GET', '/api/v1/supervisor/overview')).json();
    const c = before.conversations.find((x: { customer: { phone: string } }) => x.customer.phone === '+15550008800');
    assert.equal(Date.parse(c.waitingSince), arrived, 'before the assignment');
    const assigned = await relay.api(sue, 'POST', `/api/v1/conversations/${c.id}/assign`, { agentId: 'bob' });
    assert.equal(assigned.statusCode, 200, assigned.body);
    const after = (await relay.api(sue, 'GET', '/api/v1/supervisor/overview')).json();
    const row = after.conversations.find((x: { id: string }) => x.id === c.id);
    assert.equal(row.state, 'open', 'still waiting for Bob to accept');
    assert.equal(row.waitingSince, new Date(arrived).toISOString(), 'the customer has waited since their message, not since the assignment');
    const general = after.queues.find((q: { id: string }) => q.id === 'general');
    assert.equal(general.longestWaitSince, new Date(arrived).toISOString(), "the queue's longest wait is the same customer's");
  });
});
