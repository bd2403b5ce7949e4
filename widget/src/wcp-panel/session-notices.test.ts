import { expect } from '@open-wc/testing';
import type { Conversation, RelayEvent } from '@wcp/protocol';
import { makeAgent, makeConversation } from '../test/fixtures.js';
import { initialPanelState, reducePanel } from '../state/panel-store.js';
import { autoCloseNotice, handedOverNotice } from './session-notices.js';

const waiting = makeConversation({ id: 'conv-w', state: 'waiting', customer: { phone: '+14155550123', profileName: 'Wendy Wait', waId: null } });
const withSession = reducePanel(initialPanelState(), { type: 'signedIn', agent: makeAgent(), conversations: [waiting], queued: [], clockOffsetMs: null });
const stateEvent = (conversation: Conversation): RelayEvent => ({ id: '9', type: 'state', data: { conversationId: conversation.id, conversation } });

describe('autoCloseNotice', () => {
  it('tells the agent a session of theirs closed itself, by customer name', () => {
    const notice = autoCloseNotice(withSession, stateEvent({ ...waiting, state: 'closed', disposition: 'auto-closed' }));
    expect(notice).to.equal('The conversation with Wendy Wait was closed (auto-closed): no message from the customer while it was waiting.');
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
