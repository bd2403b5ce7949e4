/** The pure rules of team work: queue membership, who can take work, dispositions, force close, auto-close, wrap-up close. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canHandOver } from '@wcp/protocol/states';
import { CONVERSATION_STATES } from '@wcp/protocol/values';
import { actionable, autoCloseDue, canChangeState, canRead, wrapUpCloseDue, wrapUpEndsAt } from '../../src/domain/conversation-rules.ts';
import { AUTO_CLOSED, checkDisposition, DISPOSITIONS } from '../../src/domain/dispositions.ts';
import { DEFAULT_QUEUE_ID, membersOf, queuesOf } from '../../src/domain/queues.ts';
import { canTakeWork, chooseAgent, type RoutingCandidate } from '../../src/routing/policy.ts';
import type { ConversationRow } from '../../src/store/port.ts';

const queues = [
  { id: DEFAULT_QUEUE_ID, name: 'General', agentIds: [], numbers: [] },
  { id: 'billing', name: 'Billing', agentIds: ['bob', 'carol'], numbers: ['+14155230000'] },
  { id: 'sales', name: 'Sales', agentIds: ['carol'], numbers: [] },
];

describe('team rules', () => {
  const agent = (id: string) => ({ id, role: 'agent' as const });
  const supervisor = (id: string) => ({ id, role: 'supervisor' as const });

  it('puts an agent in the queues listing it, else in the default queue; a supervisor only in those listing it', () => {
    assert.deepEqual(queuesOf(agent('alice'), queues), [DEFAULT_QUEUE_ID]);
    assert.deepEqual(queuesOf(agent('carol'), queues), ['billing', 'sales']);
    assert.deepEqual(queuesOf(supervisor('sue'), queues), []);
    assert.deepEqual(queuesOf(supervisor('carol'), queues), ['billing', 'sales']);
    assert.deepEqual(membersOf(DEFAULT_QUEUE_ID, queues, [...['alice', 'bob', 'carol', 'dave'].map(agent), supervisor('sue')]), ['alice', 'dave']);
    assert.deepEqual(membersOf('billing', queues, ['alice', 'bob', 'carol'].map(agent)), ['bob', 'carol']);
  });

  it('offers a queue conversation to its members only, with presence and capacity as before', () => {
    const agent = (id: string, queueIds: string[], load = 0): RoutingCandidate => ({ id, presence: 'available', capacity: 2, load, lastOfferedAt: null, queueIds });
    const candidates = [agent('alice', [DEFAULT_QUEUE_ID]), agent('bob', ['billing'], 1), agent('carol', ['billing'], 2)];
    assert.equal(chooseAgent(candidates, new Set(), 'billing'), 'bob');
    assert.equal(chooseAgent(candidates, new Set(['bob']), 'billing'), null, 'carol is full');
    assert.equal(chooseAgent(candidates, new Set(), DEFAULT_QUEUE_ID), 'alice');
    assert.equal(chooseAgent(candidates, new Set()), 'alice', 'no queue: anyone with room');
    // The agent who handed it over comes last, after even a Busy colleague, but before no one.
    const handedOver = [agent('alice', [DEFAULT_QUEUE_ID]), { ...agent('dave', [DEFAULT_QUEUE_ID], 1), presence: 'busy' as const }];
    assert.equal(chooseAgent(handedOver, new Set(), DEFAULT_QUEUE_ID, 'alice'), 'dave');
    assert.equal(chooseAgent(handedOver, new Set(['dave']), DEFAULT_QUEUE_ID, 'alice'), 'alice');
    assert.equal(canTakeWork({ presence: 'offline', load: 0, capacity: 2 }), false);
    assert.equal(canTakeWork({ presence: 'busy', load: 1, capacity: 2 }), true);
    assert.equal(canTakeWork({ presence: 'available', load: 2, capacity: 2 }), false);
  });

  it('closes with a listed disposition only; auto-closed is reserved; an empty list asks for none', () => {
    assert.equal(checkDisposition('resolved'), 'resolved');
    assert.throws(() => checkDisposition(null), { code: 'disposition_required' });
    assert.throws(() => checkDisposition(AUTO_CLOSED), { code: 'unknown_disposition' });
    assert.equal(checkDisposition(null, []), null);
    assert.deepEqual(DISPOSITIONS.map((d) => d.id), ['resolved', 'follow-up', 'no-response', 'spam']);
  });

  it('lets a supervisor force close from any state, agents only along the table', () => {
    const agent = { agentId: 'a', supervisor: false };
    const sup = { agentId: 's', supervisor: true };
    assert.equal(canChangeState('active', 'closed', agent), false);
    assert.equal(canChangeState('active', 'closed', sup), true);
    assert.equal(canChangeState('open', 'closed', sup), true);
    assert.equal(canChangeState('closed', 'closed', sup), false);
    assert.equal(canChangeState('wrapup', 'closed', agent), true);
    // Another agent may take it until the customer's side is over: a wrap-up stays with its agent.
    assert.deepEqual(CONVERSATION_STATES.filter(canHandOver), ['open', 'active', 'waiting']);
  });

  it('lets a consultant read, not act; auto-closes only idle waiting conversations', () => {
    const c = { id: 'c', assignedAgentId: 'a', offerAgentId: null, offerExpiresAt: null, consultants: ['b'], state: 'waiting', lastInboundAt: 1000, createdAt: 0 } as unknown as ConversationRow;
    assert.equal(canRead(c, { agentId: 'b', supervisor: false }, 0), true);
    assert.throws(() => actionable(c, { agentId: 'b', supervisor: false }, 0), { code: 'consult_only' });
    assert.equal(actionable(c, { agentId: 'b', supervisor: false }, 0, true), c);
    assert.throws(() => actionable(c, { agentId: 'x', supervisor: false }, 0), { code: 'not_found' });
    // The agent it is offered to is told to accept it, while the offer stands; after, it is no one's.
    const offered = { ...c, assignedAgentId: null, state: 'open', offerAgentId: 'x', offerExpiresAt: 5000 } as ConversationRow;
    assert.throws(() => actionable(offered, { agentId: 'x', supervisor: false }, 4999), { code: 'invalid_transition' });
    assert.throws(() => actionable(offered, { agentId: 'x', supervisor: false }, 5000), { code: 'not_found' });
    assert.equal(autoCloseDue(c, 2000, 1000), true);
    assert.equal(autoCloseDue(c, 1999, 1000), false);
    assert.equal(autoCloseDue(c, 10_000, 0), false, '0 = never');
    assert.equal(autoCloseDue({ ...c, state: 'active' }, 10_000, 1000), false);
  });

  it('closes a wrap-up left alone at the end it was given on entry (WRAP_UP_CLOSE_AFTER; 0 = never), and nothing else', () => {
    assert.equal(wrapUpEndsAt(5000, 3_600_000), 3_605_000);
    assert.equal(wrapUpEndsAt(5000, 0), null, '0 = never');
    const c = { state: 'wrapup' as const, wrapUpEndsAt: 3_605_000 };
    assert.equal(wrapUpCloseDue(c, 3_605_000), true);
    assert.equal(wrapUpCloseDue(c, 3_604_999), false);
    assert.equal(wrapUpCloseDue({ ...c, wrapUpEndsAt: null }, Number.MAX_SAFE_INTEGER), false, 'no timer');
    // An end left from an earlier wrap-up means nothing once the conversation moved on.
    assert.equal(wrapUpCloseDue({ ...c, state: 'open' }, 10_000_000), false);
    assert.equal(wrapUpCloseDue({ ...c, state: 'closed' }, 10_000_000), false);
  });
});
