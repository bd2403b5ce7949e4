import { expect } from '@open-wc/testing';
import type { Conversation, RelayEvent } from '@wcp/protocol';
import { makeAgent, makeConversation } from '../test/fixtures.js';
import { initialPanelState, reducePanel } from '../state/panel-store.js';
import { autoCloseNotice, forceClosedNotice, handedOverNotice } from './session-notices.js';

const waiting = makeConversation({ id: 'conv-w', state: 'waiting', customer: { phone: '+14155550123', profileName: 'Wendy Wait', waId: null } });
const withSession = reducePanel(initialPanelState(), { type: 'signedIn', agent: makeAgent(), conversations: [waiting], queued: [], clockOffsetMs: null });
const stateEvent = (conversation: Conversation): RelayEvent => ({ id: '9', type: 'state', data: { conversationId: conversation.id, conversation } });

describe('autoCloseNotice', () => {
  it('tells the agent a session of theirs closed itself, by customer name', () => {
    const notice = autoCloseNotice(withSession, stateEvent({ ...waiting, state: 'closed', disposition: 'auto-closed' }));
    expect(notice).to.equal('The conversation with Wendy Wait was closed (auto-closed): no message from the customer while it was waiting.');
  });

  it('tells the agent a wrap-up of theirs closed itself, as a wrap-up', () => {
    const wrapUp = makeConversation({ id: 'conv-u', state: 'wrapup', customer: { phone: '+14155550125', profileName: 'Uma Unfinished', waId: null } });
    const wrappingUp = reducePanel(initialPanelState(), { type: 'signedIn', agent: makeAgent(), conversations: [wrapUp], queued: [], clockOffsetMs: null });
    const notice = autoCloseNotice(wrappingUp, stateEvent({ ...wrapUp, state: 'closed', disposition: 'auto-closed' }));
    expect(notice).to.equal('The wrap-up of your conversation with Uma Unfinished closed by itself (auto-closed): it was not closed in time.');
  });

  it('says nothing for a close by a person, or for a conversation that was not a session', () => {
    expect(autoCloseNotice(withSession, stateEvent({ ...waiting, state: 'closed', disposition: 'resolved' }))).to.equal(null);
    expect(autoCloseNotice(initialPanelState(), stateEvent({ ...waiting, state: 'closed', disposition: 'auto-closed' }))).to.equal(null);
    expect(autoCloseNotice(withSession, stateEvent({ ...waiting, state: 'active' }))).to.equal(null);
  });
});

describe('handedOverNotice', () => {
  const active = makeConversation({ id: 'conv-a', state: 'active', assignedAgentId: 'agent-1', customer: { phone: '+14155550124', profileName: 'Hana Held', waId: null } });
  const holding = reducePanel(initialPanelState(), { type: 'signedIn', agent: makeAgent(), conversations: [active], queued: [], clockOffsetMs: null });
  const handedOver = (transfer: Conversation['transfer']) => stateEvent({ ...active, state: 'open', assignedAgentId: null, transfer });

  it('tells the agent who moved a session of theirs away, by customer name', () => {
    const bySupervisor = handedOver({ fromAgentId: 'sup-1', fromAgentName: 'Sam Supervisor', note: 'Billing' });
    expect(handedOverNotice(holding, bySupervisor)).to.equal('Sam Supervisor transferred your conversation with Hana Held to another agent or queue.');
    expect(handedOverNotice(holding, handedOver(null))).to.equal('Your conversation with Hana Held was handed over to another agent or queue.');
  });

  it('says nothing for a transfer the agent made, a session that stays theirs, or a conversation that was not a session', () => {
    expect(handedOverNotice(holding, handedOver({ fromAgentId: 'agent-1', fromAgentName: 'Alex Agent', note: null }))).to.equal(null);
    expect(handedOverNotice(holding, stateEvent({ ...active, state: 'waiting' }))).to.equal(null);
    expect(handedOverNotice(initialPanelState(), handedOver(null))).to.equal(null);
  });
});

describe('forceClosedNotice', () => {
  const active = makeConversation({ id: 'conv-f', state: 'active', assignedAgentId: 'agent-1', customer: { phone: '+14155550126', profileName: 'Finn Cust', waId: null } });
  const holding = reducePanel(initialPanelState(), { type: 'signedIn', agent: makeAgent(), conversations: [active], queued: [], clockOffsetMs: null });

  it('tells the agent a supervisor closed a session of theirs mid-conversation, with the disposition', () => {
    const notice = forceClosedNotice(holding, stateEvent({ ...active, state: 'closed', disposition: 'follow-up' }));
    expect(notice).to.equal('A supervisor closed your conversation with Finn Cust (Follow-up needed).');
  });

  it('says nothing for a close from wrap-up, a close by itself, or a conversation that was not theirs', () => {
    const wrapUp = { ...active, state: 'wrapup' as const };
    const wrappingUp = reducePanel(initialPanelState(), { type: 'signedIn', agent: makeAgent(), conversations: [wrapUp], queued: [], clockOffsetMs: null });
    expect(forceClosedNotice(wrappingUp, stateEvent({ ...active, state: 'closed', disposition: 'resolved' }))).to.equal(null);
    expect(forceClosedNotice(holding, stateEvent({ ...active, state: 'closed', disposition: 'auto-closed' }))).to.equal(null);
    expect(forceClosedNotice(initialPanelState(), stateEvent({ ...active, state: 'closed', disposition: 'resolved' }))).to.equal(null);
  });
});
