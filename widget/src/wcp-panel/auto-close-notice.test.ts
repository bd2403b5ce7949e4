import { expect } from '@open-wc/testing';
import type { Conversation, RelayEvent } from '@wcp/protocol';
import { makeAgent, makeConversation } from '../test/fixtures.js';
import { initialPanelState, reducePanel } from '../state/panel-store.js';
import { autoCloseNotice } from './auto-close-notice.js';

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
