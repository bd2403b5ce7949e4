import { expect } from '@open-wc/testing';
import type { Conversation, Message, RelayEvent } from '@wcp/protocol';
import { unfilledPlaceholders } from '../lib/placeholders.js';
import type { OutboxItem } from '../relay/relay-client.js';
import { makeAgent, makeConversation, makeMessage, makeOffer, makeTemplate } from '../test/fixtures.js';
import {
  consultantNames,
  initialPanelState,
  isConsulting,
  loadedMessages,
  phonesToLookUp,
  placeholderContext,
  reducePanel,
  selectedConversation,
  sessionSummaries,
  threadOf,
  unreadCount,
  wrapUpOf,
  type PanelAction,
  type PanelState,
} from './panel-store.js';
import { parseWork, serializeWork, workInProgressOf, type WorkInProgress } from './work-in-progress.js';

const at = (minute: number) => `2025-06-02T10:${String(minute).padStart(2, '0')}:00.000Z`;
const ids = (messages: readonly Message[]) => messages.map((m) => m.id);
let eventId = 0;
const event = (e: Omit<RelayEvent, 'id'>) => ({ type: 'relayEvent', event: { id: String(++eventId), ...e } as RelayEvent, now: Date.now() }) as const;

function run(...actions: PanelAction[]): PanelState {
  return actions.reduce(reducePanel, initialPanelState());
}

function signedIn(conversations: Conversation[], queued: OutboxItem[] = []): PanelAction {
  return { type: 'signedIn', agent: makeAgent(), conversations, queued, clockOffsetMs: null };
}

/** The agent signed in with these sessions and the first one's transcript loaded. */
function withTranscript(messages: Message[], conversations = [makeConversation()]): PanelState {
  return run(
    signedIn(conversations),
    { type: 'pageLoading', conversationId: conversations[0]!.id, first: true },
    { type: 'pageLoaded', conversationId: conversations[0]!.id, page: { items: messages, next: null } },
  );
}

function queued(clientId: string, body: string, extra: Partial<OutboxItem['request']> = {}): OutboxItem {
  return { clientId, conversationId: 'conv-1', request: { clientId, body, ...extra }, queuedAt: at(30) };
}

describe('panel store', () => {
  describe('offers and sessions', () => {
    it('replaces what it held when its stream missed events: sessions and offers the relay no longer lists go, the others are kept, transcripts load again', () => {
      const kept = makeConversation({ id: 'conv-1' });
      const gone = makeConversation({ id: 'conv-2' });
      const offer = makeOffer({ id: 'conv-9' });
      let state = run(
        signedIn([kept, gone]),
        { type: 'pageLoading', conversationId: 'conv-1', first: true },
        { type: 'pageLoaded', conversationId: 'conv-1', page: { items: [makeMessage({ conversationId: 'conv-1' })], next: null } },
        event({ type: 'offer', data: { conversationId: 'conv-9', conversation: offer, firstMessage: null } }),
      );
      expect(state.transcripts.has('conv-1')).to.equal(true);
      expect(state.sessions.map((c) => c.id)).to.deep.equal(['conv-1', 'conv-2']);
      // An ordinary sign-in (after a failed one) only adds.
      expect(reducePanel(state, signedIn([kept])).sessions.map((c) => c.id)).to.deep.equal(['conv-1', 'conv-2']);
      state = reducePanel(state, { ...signedIn([kept]), replace: true } as PanelAction);
      expect(state.sessions.map((c) => c.id)).to.deep.equal(['conv-1']);
      expect(state.offers).to.deep.equal([]);
      expect(state.transcripts.size, 'what they held missed the pruned events').to.equal(0);
    });

    it('shows an offer when it arrives, with its first customer message, and drops it when withdrawn', () => {
      const offer = makeOffer({ id: 'conv-9' });
      const first = makeMessage({ conversationId: 'conv-9', body: 'Hi, my parcel is late' });
      let state = run(signedIn([]), event({ type: 'offer', data: { conversationId: 'conv-9', conversation: offer, firstMessage: null } }));
      state = reducePanel(state, event({ type: 'message', data: { conversationId: 'conv-9', message: first } }));
      expect(state.offers).to.deep.equal([{ conversation: offer, firstMessage: first, transfer: null }]);

      state = reducePanel(state, event({ type: 'offer_withdrawn', data: { conversationId: 'conv-9', reason: 'expired' } }));
      expect(state.offers).to.deep.equal([]);
      expect(state.sessions).to.deep.equal([]);
    });

    it('moves an accepted offer to the session tabs and selects it', () => {
      const offer = makeOffer({ id: 'conv-9' });
      const state = run(
        signedIn([makeConversation()]),
        event({ type: 'offer', data: { conversationId: 'conv-9', conversation: offer, firstMessage: null } }),
        { type: 'answering', conversationId: 'conv-9', busy: true },
        { type: 'offerAccepted', conversation: { ...offer, state: 'active', offer: null, assignedAgentId: 'agent-1' } },
        { type: 'answering', conversationId: 'conv-9', busy: false },
      );
      expect(state.offers).to.deep.equal([]);
      expect(state.sessions.map((s) => s.id)).to.deep.equal(['conv-1', 'conv-9']);
      expect(state.selectedId).to.equal('conv-9');
      expect(state.answering.size).to.equal(0);
    });

    it('takes a session away when it closes or goes to another agent, and selects the next one', () => {
      const other = makeConversation({ id: 'conv-2' });
      let state = run(signedIn([makeConversation(), other]));
      expect(state.selectedId).to.equal('conv-1');

      state = reducePanel(state, event({ type: 'state', data: { conversationId: 'conv-1', conversation: makeConversation({ state: 'closed' }) } }));
      expect(state.sessions.map((s) => s.id)).to.deep.equal(['conv-2']);
      expect(state.selectedId).to.equal('conv-2');

      state = reducePanel(state, { type: 'conversation', conversation: { ...other, assignedAgentId: 'agent-2' } });
      expect(state.sessions).to.deep.equal([]);
      expect(selectedConversation(state)).to.equal(undefined);
    });

    it('selects the conversation of the form’s phone, however it was typed', () => {
      const bo = makeConversation({ id: 'conv-2', customer: { phone: '+14155550111', profileName: 'Bo', waId: null } });
      const state = run({ type: 'formPhone', phone: '+1 (415) 555-0111' }, signedIn([makeConversation(), bo]));
      expect(state.selectedId).to.equal('conv-2');
    });

    it("shows the form's customer's live conversation rather than their wrap-up, and goes back to it when the wrap-up closes", () => {
      const customer = { phone: '+14155550111', profileName: 'Bo', waId: null };
      const other = makeConversation({ id: 'conv-o', customer: { phone: '+14155550199', profileName: 'Cy', waId: null } });
      const wrapUp = makeConversation({ id: 'conv-w', state: 'wrapup', customer });
      const next = makeConversation({ id: 'conv-n', customer });
      let state = run(signedIn([other, wrapUp, next]), { type: 'formPhone', phone: '+1 (415) 555-0111' });
      expect(state.selectedId).to.equal('conv-n');

      // The agent opens the wrap-up to close it: it stays on screen while the form shows the customer.
      state = [{ type: 'select', conversationId: 'conv-w' } as const, { type: 'formPhone', phone: '+14155550111' } as const].reduce(reducePanel, state);
      expect(state.selectedId).to.equal('conv-w');
      state = reducePanel(state, event({ type: 'state', data: { conversationId: 'conv-w', conversation: { ...wrapUp, state: 'closed', disposition: 'resolved' } } }));
      expect(state.sessions.map((s) => s.id)).to.deep.equal(['conv-o', 'conv-n']);
      expect(state.selectedId, "the customer's other conversation, not the first tab").to.equal('conv-n');
    });

    it('follows the agent’s presence from the stream, not other agents’', () => {
      let state = run(signedIn([]), event({ type: 'presence', data: { agentId: 'agent-2', presence: 'busy' } }));
      expect(state.agent!.presence).to.equal('available');
      state = reducePanel(state, event({ type: 'presence', data: { agentId: 'agent-1', presence: 'away' } }));
      expect(state.agent!.presence).to.equal('away');
    });
  });

  describe('transcripts', () => {
    it('keeps messages that arrived while the first page loaded, oldest first', () => {
      const live = makeMessage({ id: 'live', createdAt: at(5) });
      const state = run(
        signedIn([makeConversation()]),
        { type: 'pageLoading', conversationId: 'conv-1', first: true },
        event({ type: 'message', data: { conversationId: 'conv-1', message: live } }),
        { type: 'pageLoaded', conversationId: 'conv-1', page: { items: [makeMessage({ id: 'a', createdAt: at(1) }), makeMessage({ id: 'b', createdAt: at(9) })], next: 'cursor-1' } },
      );
      expect(ids(loadedMessages(state, 'conv-1'))).to.deep.equal(['a', 'live', 'b']);
      expect(threadOf(state, 'conv-1')).to.include({ hasOlder: true, loadingOlder: false });
    });

    it('forgets a first page that failed, and drops pages that arrive after the session closed', () => {
      let state = run(signedIn([makeConversation()]), { type: 'pageLoading', conversationId: 'conv-1', first: true }, { type: 'pageFailed', conversationId: 'conv-1', first: true });
      expect(state.transcripts.has('conv-1')).to.equal(false);

      state = reducePanel(state, { type: 'pageLoading', conversationId: 'conv-1', first: true });
      state = reducePanel(state, { type: 'conversation', conversation: makeConversation({ state: 'closed' }) });
      state = reducePanel(state, { type: 'pageLoaded', conversationId: 'conv-1', page: { items: [makeMessage()], next: null } });
      expect(loadedMessages(state, 'conv-1')).to.deep.equal([]);
    });

    it('merges an older page before the loaded messages and keeps the cursor when it fails', () => {
      let state = withTranscript([makeMessage({ id: 'b', createdAt: at(9) })]);
      state = reducePanel(state, { type: 'pageLoaded', conversationId: 'conv-1', page: { items: [makeMessage({ id: 'b', createdAt: at(9) })], next: 'cursor-1' } });
      state = reducePanel(state, { type: 'pageLoading', conversationId: 'conv-1', first: false });
      expect(threadOf(state, 'conv-1').loadingOlder).to.equal(true);
      state = reducePanel(state, { type: 'pageFailed', conversationId: 'conv-1', first: false });
      expect(threadOf(state, 'conv-1')).to.include({ hasOlder: true, loadingOlder: false });

      state = reducePanel(state, { type: 'pageLoaded', conversationId: 'conv-1', page: { items: [makeMessage({ id: 'a', createdAt: at(1) })], next: null } });
      expect(ids(loadedMessages(state, 'conv-1'))).to.deep.equal(['a', 'b']);
      expect(threadOf(state, 'conv-1').hasOlder).to.equal(false);
    });

    it('shows sends as pending after the transcript until the relay has them, quoting the message replied to', () => {
      let state = withTranscript([makeMessage({ id: 'q', body: 'Where is my order?' })]);
      state = reducePanel(state, { type: 'pendingAdded', item: queued('c1', 'On its way', { replyToMessageId: 'q' }) });
      state = reducePanel(state, { type: 'pendingAdded', item: queued('c1', 'On its way', { replyToMessageId: 'q' }) });
      const [, pending, ...rest] = threadOf(state, 'conv-1').messages;
      expect(rest).to.have.length(0);
      expect(pending).to.include({ id: 'pending:c1', body: 'On its way', status: 'queued', agentId: 'agent-1', pending: true });
      expect(pending!.replyTo).to.deep.equal({ id: 'q', body: 'Where is my order?' });

      state = reducePanel(state, { type: 'pendingRemoved', conversationId: 'conv-1', clientId: 'c1' });
      expect(ids(threadOf(state, 'conv-1').messages)).to.deep.equal(['q']);
    });

    it("gives the thread the same list while its messages are the same: a draft's keystrokes do not hand it a new one", () => {
      let state = withTranscript([makeMessage({ id: 'q', createdAt: at(1) })]);
      const before = threadOf(state, 'conv-1');
      state = reducePanel(state, { type: 'draft', conversationId: 'conv-1', draft: 'Hel' });
      state = reducePanel(state, { type: 'composer', busy: true });
      expect(threadOf(state, 'conv-1').messages).to.equal(before.messages);

      state = reducePanel(state, { type: 'pendingAdded', item: queued('c1', 'Hello') });
      const sending = threadOf(state, 'conv-1');
      expect(ids(sending.messages)).to.deep.equal(['q', 'pending:c1']);
      state = reducePanel(state, event({ type: 'message', data: { conversationId: 'conv-1', message: makeMessage({ id: 'in-2', direction: 'inbound', createdAt: at(40) }) } }));
      expect(ids(threadOf(state, 'conv-1').messages)).to.deep.equal(['q', 'in-2', 'pending:c1']);
      state = reducePanel(state, { type: 'pageLoading', conversationId: 'conv-1', first: false });
      expect(threadOf(state, 'conv-1').loadingOlder).to.equal(true);
    });

    it('drops the pending copy when the relay echoes our send before answering the POST', () => {
      const state = [
        { type: 'pendingAdded', item: queued('c1', 'Hello') },
        { type: 'pendingAdded', item: queued('c2', 'Hello again') },
        event({ type: 'message', data: { conversationId: 'conv-1', message: makeMessage({ id: 'sent-1', direction: 'outbound', body: 'Hello', status: 'queued', createdAt: at(29) }) } }),
      ].reduce((s, a) => reducePanel(s, a as PanelAction), withTranscript([]));
      expect(ids(threadOf(state, 'conv-1').messages)).to.deep.equal(['sent-1', 'pending:c2']);
    });

    it('knows its own send by its clientId: two sends of the same text, and a template whose text the relay rendered', () => {
      const template = { contentSid: makeTemplate().contentSid, variables: { '1': 'Ana' } };
      const templateSend: OutboxItem = { clientId: 't1', conversationId: 'conv-1', request: { clientId: 't1', template }, queuedAt: at(31) };
      const state = [
        { type: 'pendingAdded', item: queued('c1', 'OK') },
        { type: 'pendingAdded', item: queued('c2', 'OK') },
        { type: 'pendingAdded', item: templateSend },
        event({ type: 'message', data: { conversationId: 'conv-1', message: makeMessage({ id: 'sent-2', direction: 'outbound', body: 'OK', clientId: 'c2', createdAt: at(32) }) } }),
        event({ type: 'message', data: { conversationId: 'conv-1', message: makeMessage({ id: 'sent-t', direction: 'outbound', body: 'Hello Ana, your order shipped.', template, clientId: 't1', createdAt: at(33) }) } }),
      ].reduce((s, a) => reducePanel(s, a as PanelAction), withTranscript([]));
      expect(ids(threadOf(state, 'conv-1').messages)).to.deep.equal(['sent-2', 'sent-t', 'pending:c1']);
    });

    it('drops a pending send that a loaded page shows stored (the outbox still held it after a reload)', () => {
      let state = run(signedIn([makeConversation()], [queued('c1', 'On my way')]), { type: 'pageLoading', conversationId: 'conv-1', first: true });
      state = reducePanel(state, {
        type: 'pageLoaded',
        conversationId: 'conv-1',
        page: { items: [makeMessage({ id: 'in', createdAt: at(1) }), makeMessage({ id: 'sent-1', direction: 'outbound', body: 'On my way', clientId: 'c1', status: 'delivered', createdAt: at(31) })], next: null },
      });
      expect(ids(threadOf(state, 'conv-1').messages)).to.deep.equal(['in', 'sent-1']);
    });

    it("puts a refused send's text back before what the agent wrote since, never in its place", () => {
      let state = withTranscript([]);
      state = reducePanel(state, { type: 'draftRestored', conversationId: 'conv-1', text: 'First answer' });
      expect(state.drafts.get('conv-1')).to.equal('First answer');
      state = reducePanel(state, { type: 'draft', conversationId: 'conv-1', draft: 'Still typing' });
      state = reducePanel(state, { type: 'draftRestored', conversationId: 'conv-1', text: 'Second answer' });
      expect(state.drafts.get('conv-1')).to.equal('Second answer\n\nStill typing');
      expect(reducePanel(state, { type: 'draftRestored', conversationId: 'conv-1', text: 'Second answer' }), 'already there').to.equal(state);
    });
  });

  describe('delivery ticks', () => {
    const status = (status: Message['status'], errorCode: number | null = null, errorMessage: string | null = null) =>
      event({ type: 'status', data: { conversationId: 'conv-1', messageId: 'out', status, errorCode, errorMessage } });

    it('only move forward, whatever order the POST answer, events and pages arrive in', () => {
      const answer = makeMessage({ id: 'out', direction: 'outbound', body: 'Hi', status: 'queued', createdAt: at(30) });
      let state = withTranscript([]);
      state = reducePanel(state, event({ type: 'message', data: { conversationId: 'conv-1', message: answer } }));
      state = reducePanel(state, status('sent'));
      state = reducePanel(state, { type: 'messageSaved', message: answer }); // the POST's answer, late
      state = reducePanel(state, status('sending'));
      expect(loadedMessages(state, 'conv-1').map((m) => m.status)).to.deep.equal(['sent']);
      // A status that moves nothing changes nothing: the panel does not render for it.
      expect(reducePanel(state, status('queued')), 'the same state').to.equal(state);

      state = reducePanel(state, status('read'));
      state = reducePanel(state, status('delivered'));
      state = reducePanel(state, { type: 'pageLoaded', conversationId: 'conv-1', page: { items: [answer], next: null } });
      expect(loadedMessages(state, 'conv-1')[0]!.status).to.equal('read');
    });

    it('keep a failure and its reason once failed', () => {
      let state = withTranscript([makeMessage({ id: 'out', direction: 'outbound', status: 'sent' })]);
      state = reducePanel(state, status('failed', 63016, 'Outside the window'));
      state = reducePanel(state, status('delivered'));
      expect(loadedMessages(state, 'conv-1')[0]).to.include({ status: 'failed', errorCode: 63016, errorMessage: 'Outside the window' });
    });

    it("keep the failure's plain-words explanation from the status event, and drop it on a retry", () => {
      const error = { code: 63024, title: "The customer's number is not an active WhatsApp account.", action: 'Confirm the number with the customer.' };
      let state = withTranscript([makeMessage({ id: 'out', direction: 'outbound', status: 'sent' })]);
      state = reducePanel(state, event({ type: 'status', data: { conversationId: 'conv-1', messageId: 'out', status: 'undelivered', errorCode: 63024, errorMessage: 'Invalid message recipient', error } }));
      expect(loadedMessages(state, 'conv-1')[0]!.error).to.deep.equal(error);
      state = reducePanel(state, { type: 'retrying', conversationId: 'conv-1', messageId: 'out' });
      expect(loadedMessages(state, 'conv-1')[0]!.error).to.equal(undefined);
    });

    it('go back to queued for a retry, and back to failed if the relay refuses it', () => {
      let state = withTranscript([makeMessage({ id: 'out', direction: 'outbound', status: 'failed', errorCode: 30008, errorMessage: 'Unknown' })]);
      state = reducePanel(state, { type: 'retrying', conversationId: 'conv-1', messageId: 'out' });
      expect(loadedMessages(state, 'conv-1')[0]).to.include({ status: 'queued', errorCode: null, errorMessage: null });
      state = reducePanel(state, status('sent'));
      expect(loadedMessages(state, 'conv-1')[0]!.status).to.equal('sent');

      state = reducePanel(state, { type: 'messageRestored', conversationId: 'conv-1', messageId: 'out', status: { status: 'failed', errorCode: 30008, errorMessage: 'Unknown' } });
      expect(loadedMessages(state, 'conv-1')[0]).to.include({ status: 'failed', errorCode: 30008 });
    });

    it('go back to queued when the relay says another tab or a colleague retried it, then move on', () => {
      let state = withTranscript([makeMessage({ id: 'out', direction: 'outbound', status: 'failed', errorCode: 30008, errorMessage: 'Unknown' })]);
      state = reducePanel(state, status('queued'));
      expect(loadedMessages(state, 'conv-1')[0]!.status, 'a plain queued does not undo a failure').to.equal('failed');
      state = reducePanel(state, event({ type: 'status', data: { conversationId: 'conv-1', messageId: 'out', status: 'queued', errorCode: null, errorMessage: null, retried: true } }));
      expect(loadedMessages(state, 'conv-1')[0]).to.include({ status: 'queued', errorCode: null });
      for (const next of ['sent', 'delivered', 'read'] as const) state = reducePanel(state, status(next));
      expect(loadedMessages(state, 'conv-1')[0]!.status).to.equal('read');
    });

    it('of messages not loaded, or of other conversations, change nothing', () => {
      const state = withTranscript([makeMessage({ id: 'm', direction: 'outbound', status: 'sent' })]);
      expect(reducePanel(state, status('delivered'))).to.equal(state);
    });
  });

  describe('unread counts', () => {
    it('count new customer messages in background sessions until the agent opens them', () => {
      const inbound = (id: string) => makeMessage({ id, conversationId: 'conv-2', direction: 'inbound' });
      let state = withTranscript([], [makeConversation(), makeConversation({ id: 'conv-2' })]);
      state = reducePanel(state, event({ type: 'message', data: { conversationId: 'conv-2', message: inbound('x') } }));
      state = reducePanel(state, event({ type: 'message', data: { conversationId: 'conv-2', message: makeMessage({ conversationId: 'conv-2', direction: 'outbound' }) } }));
      state = reducePanel(state, event({ type: 'message', data: { conversationId: 'conv-1', message: makeMessage({ direction: 'inbound' }) } }));
      expect(unreadCount(state, 'conv-2')).to.equal(1);
      expect(unreadCount(state, 'conv-1')).to.equal(0);
      expect(sessionSummaries(state).map((s) => s.unread)).to.deep.equal([0, 1]);

      state = reducePanel(state, { type: 'select', conversationId: 'conv-2' });
      expect(unreadCount(state, 'conv-2')).to.equal(0);
    });

    it('do not count offers', () => {
      const state = run(signedIn([makeConversation()]), event({ type: 'message', data: { conversationId: 'conv-9', message: makeMessage({ conversationId: 'conv-9' }) } }));
      expect(unreadCount(state, 'conv-9')).to.equal(0);
    });
  });

  describe('work in progress kept across a reload', () => {
    // The relay lists the agent's conversations newest-updated first; the agent had them in the order accepted.
    const ana = makeConversation({ id: 'conv-ana' });
    const bob = makeConversation({ id: 'conv-bob', state: 'wrapup' });
    const cy = makeConversation({ id: 'conv-cy' });
    const wrapUp = { disposition: 'resolved', summary: 'Refund issued' };
    const kept: WorkInProgress = {
      order: ['conv-ana', 'conv-bob', 'conv-gone', 'conv-cy'],
      selectedId: 'conv-ana',
      drafts: new Map([['conv-ana', 'Your parcel left'], ['conv-cy', 'Let me check'], ['conv-gone', 'Closed meanwhile']]),
      wrapUps: new Map([['conv-bob', wrapUp], ['conv-gone', wrapUp]]),
      unread: new Map([['conv-bob', 1], ['conv-gone', 4]]),
    };
    const reloaded = (conversations: Conversation[], work: WorkInProgress | undefined, ...then: PanelAction[]) =>
      run({ type: 'signedIn', agent: makeAgent(), conversations, queued: [], clockOffsetMs: null, restored: work }, ...then);

    it('gives back the drafts, wrap-ups and unread counts of the sessions the relay still lists, and only those', () => {
      const state = reloaded([cy, bob, ana], kept);
      expect(Object.fromEntries(state.drafts)).to.deep.equal({ 'conv-ana': 'Your parcel left', 'conv-cy': 'Let me check' });
      expect(Object.fromEntries(state.wrapUps)).to.deep.equal({ 'conv-bob': wrapUp });
      expect(Object.fromEntries(state.unread)).to.deep.equal({ 'conv-bob': 1 });
      expect(wrapUpOf(state, 'conv-bob')).to.deep.equal(wrapUp);
    });

    it('puts the tabs back in the order the agent had, with the tab shown shown again and sessions new since after them', () => {
      const dee = makeConversation({ id: 'conv-dee' });
      const state = reloaded([dee, cy, bob, ana], kept);
      expect(sessionSummaries(state).map((s) => [s.conversationId, s.unread])).to.deep.equal([
        ['conv-ana', 0],
        ['conv-bob', 1],
        ['conv-cy', 0],
        ['conv-dee', 0],
      ]);
      expect(state.selectedId).to.equal('conv-ana');
      expect(reloaded([cy, bob, ana], { ...kept, selectedId: 'conv-cy' }).selectedId).to.equal('conv-cy');
    });

    it("shows the form's customer's conversation rather than the tab kept; the other unread counts stay", () => {
      const bobOfForm = { ...bob, customer: { ...bob.customer, phone: '+14155550111' } };
      const state = run(
        { type: 'formPhone', phone: '+1 415 555 0111' },
        { type: 'signedIn', agent: makeAgent(), conversations: [cy, bobOfForm, ana], queued: [], clockOffsetMs: null, restored: { ...kept, selectedId: 'conv-cy', unread: new Map([['conv-ana', 2]]) } },
      );
      expect(state.selectedId).to.equal('conv-bob');
      expect(unreadCount(state, 'conv-ana')).to.equal(2);
    });

    it('keeps what the panel holds already, and a refused send’s text beside the draft kept', () => {
      const state = run(
        { type: 'draftRestored', conversationId: 'conv-ana', text: 'Sent offline, refused' },
        { type: 'signedIn', agent: makeAgent(), conversations: [ana, bob, cy], queued: [], clockOffsetMs: null, restored: kept },
      );
      expect(state.drafts.get('conv-ana')).to.equal('Sent offline, refused\n\nYour parcel left');
    });

    it('gives back what it kept, through storage, as the agent left it', () => {
      let before = run(signedIn([ana, bob]), { type: 'conversation', conversation: cy });
      before = reducePanel(before, { type: 'draft', conversationId: 'conv-cy', draft: 'Let me check' });
      before = reducePanel(before, { type: 'wrapUp', conversationId: 'conv-bob', wrapUp });
      before = reducePanel(before, event({ type: 'message', data: { conversationId: 'conv-bob', message: makeMessage({ conversationId: 'conv-bob' }) } }));
      const after = reloaded([cy, bob, ana], parseWork(serializeWork(workInProgressOf(before)))!);
      expect(sessionSummaries(after)).to.deep.equal(sessionSummaries(before));
      expect([after.drafts, after.wrapUps, after.unread, after.selectedId]).to.deep.equal([before.drafts, before.wrapUps, before.unread, before.selectedId]);
    });
  });

  describe('the 24-hour window', () => {
    const closedWindow = () => makeConversation({ windowExpiresAt: new Date(Date.now() - 1000).toISOString() });

    it('shows the alert after a refused free-form send until a template goes out', () => {
      let state = run(signedIn([closedWindow()]), { type: 'freeFormRefused', conversationId: 'conv-1' });
      expect(state.expiredAttempts.get('conv-1')).to.equal(1);
      state = reducePanel(state, { type: 'freeFormRefused', conversationId: 'conv-1' });
      expect(state.expiredAttempts.get('conv-1'), 'each refusal counted: the alert is announced again').to.equal(2);
      state = reducePanel(state, { type: 'templateSent', conversationId: 'conv-1' });
      expect(state.expiredAttempts.has('conv-1')).to.equal(false);
    });

    it('believes the relay when it says the window expired, and closes it on our side too', () => {
      const now = Date.now();
      const state = run(signedIn([makeConversation()]), { type: 'windowExpired', conversationId: 'conv-1', now });
      expect(Date.parse(state.sessions[0]!.windowExpiresAt!)).to.equal(now);
      expect(state.expiredAttempts.has('conv-1')).to.equal(true);
    });

    it('opens again when the customer writes (a window event), and the alert goes', () => {
      const expiresAt = new Date(Date.now() + 24 * 3600_000).toISOString();
      let state = run(signedIn([closedWindow()]), { type: 'freeFormRefused', conversationId: 'conv-1' });
      state = reducePanel(state, event({ type: 'window', data: { conversationId: 'conv-1', windowExpiresAt: expiresAt } }));
      expect(state.sessions[0]!.windowExpiresAt).to.equal(expiresAt);
      expect(state.expiredAttempts.size).to.equal(0);
    });

    it('opens again from the customer’s message alone, when the stream dropped before its window event', () => {
      const expiresAt = new Date(Date.now() + 24 * 3600_000).toISOString();
      let state = run(signedIn([closedWindow()]), { type: 'freeFormRefused', conversationId: 'conv-1' });
      const message = makeMessage({ id: 'msg-9', direction: 'inbound', body: 'still there?' });
      state = reducePanel(state, event({ type: 'message', data: { conversationId: 'conv-1', message, windowExpiresAt: expiresAt } }));
      expect(state.sessions[0]!.windowExpiresAt).to.equal(expiresAt);
      expect(state.expiredAttempts.size, 'the alert goes').to.equal(0);
    });

    it('counts down on the relay’s clock learnt from serverTime', () => {
      const now = Date.now();
      const relayNow = now + 2 * 3600_000;
      const expiresAt = new Date(relayNow + 3600_000).toISOString();
      const state = run(signedIn([makeConversation()]), {
        type: 'relayEvent',
        event: { id: '1', type: 'window', data: { conversationId: 'conv-1', windowExpiresAt: expiresAt, serverTime: new Date(relayNow).toISOString() } },
        now,
      });
      expect(state.clock.offsetMs).to.equal(2 * 3600_000);
      expect(sessionSummaries(state)[0]!.windowExpiresAt).to.equal(new Date(now + 3600_000).toISOString());
    });

    it('takes the relay client’s clock guess only when it is off by more than a few seconds', () => {
      const guess = (clockOffsetMs: number) => run({ type: 'signedIn', agent: makeAgent(), conversations: [], queued: [], clockOffsetMs }).clock.offsetMs;
      expect(guess(2000)).to.equal(0);
      expect(guess(-60_000)).to.equal(-60_000);
    });
  });

  describe('CRM contacts', () => {
    const contact = { id: 'c-1', fullName: 'Ana Lopez', firstName: 'Ana', fields: { ticketnumber: 'CAS-42' } };

    it('asks once per customer phone of offers and sessions', () => {
      let state = run(signedIn([makeConversation()]), event({ type: 'offer', data: { conversationId: 'conv-9', conversation: makeOffer({ id: 'conv-9' }), firstMessage: null } }));
      expect(phonesToLookUp(state)).to.deep.equal(['+14155550100']);
      state = reducePanel(state, { type: 'contactLookup', phone: '+14155550100' });
      expect(phonesToLookUp(state)).to.deep.equal([]);
      state = reducePanel(state, { type: 'contactLookupFailed', phone: '+14155550100' });
      expect(phonesToLookUp(state)).to.deep.equal(['+14155550100']);
    });

    it('authenticates a customer only when exactly one contact matches, and fills placeholders from it', () => {
      const one = run(signedIn([makeConversation()]), { type: 'formPhone', phone: '+1 415 555 0100' }, { type: 'contactFound', phone: '+14155550100', matches: [contact] });
      expect(sessionSummaries(one)[0]!.title).to.equal('Ana Lopez');
      expect(placeholderContext(one, one.sessions[0], { entityType: 'incident', id: 'i-1', name: 'Late parcel' })).to.deep.equal({
        customerName: 'Ana Lopez',
        agentName: 'Dana Agent',
        record: { ticketnumber: 'CAS-42', fullname: 'Ana Lopez', firstname: 'Ana', name: 'Late parcel' },
        customer: { firstName: 'Ana', phone: '+14155550100' },
      });

      const two = run(signedIn([makeConversation()]), { type: 'contactFound', phone: '+14155550100', matches: [contact, { ...contact, id: 'c-2' }] });
      expect(sessionSummaries(two)[0]!.title).to.equal('Ana WhatsApp');
    });

    it('leaves {customer.name} unfilled for a customer with no name, rather than greeting them by their number', () => {
      const nameless = makeConversation({ customer: { phone: '+14155550100', profileName: null, waId: '14155550100' } });
      const state = run(signedIn([nameless]));
      const context = placeholderContext(state, nameless, null);
      expect(unfilledPlaceholders('Hi {customer.name}, thanks for waiting.', context)).to.deep.equal(['customer.name']);
    });

    it("fills {record.…} from the form's record only in the conversation of the form's customer (or linked to it)", () => {
      const form = { entityType: 'contact', id: 'C-B', name: 'Maria Garcia', fields: { phone: '+1 (555) 010-1234' } };
      const ana = makeConversation({ id: 'conv-a', customer: { phone: '+14155550100', profileName: 'Ana', waId: '14155550100' } });
      const maria = makeConversation({ id: 'conv-m', customer: { phone: '+15550101234', profileName: 'Maria', waId: '15550101234' } });
      const state = run(signedIn([ana, maria]), { type: 'formPhone', phone: '+1 (555) 010-1234' });
      expect(placeholderContext(state, ana, form).record, "another customer's conversation").to.deep.equal({});
      expect(placeholderContext(state, maria, form).record).to.deep.equal({ name: 'Maria Garcia', phone: '+1 (555) 010-1234' });
      const linked = { ...ana, linkedRecord: { entityType: 'contact', id: 'c-b', name: 'Maria Garcia' } };
      expect(placeholderContext(state, linked, form).record.name, 'linked to the form record').to.equal('Maria Garcia');
    });
  });

  describe('team work', () => {
    const consulted = makeConversation({ id: 'conv-c', assignedAgentId: 'agent-2', consultants: ['agent-1'] });

    it('keeps who transferred an offer and why, for the notification', () => {
      const transfer = { fromAgentId: 'agent-2', fromAgentName: 'Alex Morgan', note: 'Refund question' };
      const state = run(signedIn([]), event({ type: 'offer', data: { conversationId: 'conv-9', conversation: makeOffer({ id: 'conv-9' }), firstMessage: null, transfer } }));
      expect(state.offers[0]!.transfer).to.deep.equal(transfer);
    });

    it('an offer listed at sign-in keeps who transferred it and why, and shows the customer’s message read for it', () => {
      const transfer = { fromAgentId: 'agent-2', fromAgentName: 'Alex Morgan', note: 'Refund question' };
      const first = makeMessage({ conversationId: 'conv-9', body: 'Where is my refund?' });
      const state = run(signedIn([makeOffer({ id: 'conv-9', transfer })]), { type: 'offerMessage', message: first });
      expect(state.offers[0]).to.deep.include({ transfer, firstMessage: first });
    });

    it('an offer of a conversation this agent transferred, come back after the colleague rejected it, is not "transferred by" itself', () => {
      const own = { fromAgentId: 'agent-1', fromAgentName: 'Alex Morgan', note: 'Billing question' };
      const live = run(signedIn([]), event({ type: 'offer', data: { conversationId: 'conv-9', conversation: makeOffer({ id: 'conv-9', transfer: own }), firstMessage: null, transfer: null } }));
      expect(live.offers[0]!.transfer, 'live, from the conversation it carries').to.equal(null);
      expect(run(signedIn([makeOffer({ id: 'conv-9', transfer: own })])).offers[0]!.transfer, 'listed at sign-in').to.equal(null);
    });

    it('keeps each conversation’s wrap-up until it closes', () => {
      const ana = makeConversation({ state: 'wrapup' });
      const bob = makeConversation({ id: 'conv-2', state: 'wrapup' });
      const wrapUp = { disposition: 'resolved', summary: 'Refund issued' };
      let state = run(signedIn([ana, bob]), { type: 'wrapUp', conversationId: 'conv-1', wrapUp }, { type: 'select', conversationId: 'conv-2' }, { type: 'select', conversationId: 'conv-1' });
      expect([wrapUpOf(state, 'conv-1'), wrapUpOf(state, 'conv-2')]).to.deep.equal([wrapUp, { disposition: '', summary: '' }]);
      state = reducePanel(state, { type: 'conversation', conversation: { ...ana, state: 'closed', disposition: 'resolved', summary: 'Refund issued' } });
      expect(state.wrapUps.has('conv-1'), 'closed: the wrap-up went with it').to.equal(false);
    });

    it('the holder loses a conversation it transferred', () => {
      const state = run(signedIn([makeConversation(), makeConversation({ id: 'conv-2' })]), { type: 'handedOver', conversationId: 'conv-1' });
      expect(state.sessions.map((s) => s.id)).to.deep.equal(['conv-2']);
      expect(state.selectedId).to.equal('conv-2');
    });

    it('opens a consult as a read-only session for the consultant, and takes it away when it ends', () => {
      let state = run(signedIn([makeConversation()]), event({ type: 'consult', data: { conversationId: 'conv-c', conversation: consulted, ended: false } }));
      expect(state.sessions.map((s) => s.id)).to.deep.equal(['conv-1', 'conv-c']);
      expect(isConsulting(state, state.sessions[1]!)).to.equal(true);
      expect(isConsulting(state, state.sessions[0]!)).to.equal(false);
      expect(sessionSummaries(state).map((s) => s.consulting)).to.deep.equal([false, true]);
      expect(state.selectedId, 'a consult does not take the agent away from its own conversation').to.equal('conv-1');
      const idle = run(signedIn([]), event({ type: 'consult', data: { conversationId: 'conv-c', conversation: consulted, ended: false } }));
      expect(idle.selectedId, 'an agent looking at nothing sees the consult').to.equal('conv-c');
      // The holder's later changes (state events) keep it with the consultant.
      state = reducePanel(state, event({ type: 'state', data: { conversationId: 'conv-c', conversation: { ...consulted, state: 'waiting' } } }));
      expect(state.sessions[1]!.state).to.equal('waiting');

      state = reducePanel(state, event({ type: 'consult', data: { conversationId: 'conv-c', conversation: { ...consulted, consultants: [] }, ended: true } }));
      expect(state.sessions.map((s) => s.id)).to.deep.equal(['conv-1']);
    });

    it('does not take a conversation offered to someone else for the consultant’s own offer', () => {
      const handedOver = makeOffer({ id: 'conv-c', consultants: ['agent-1'], offer: { agentId: 'agent-3', expiresAt: new Date(Date.now() + 60_000).toISOString() } });
      const state = run(signedIn([consulted]), event({ type: 'state', data: { conversationId: 'conv-c', conversation: handedOver } }));
      expect(state.offers).to.deep.equal([]);
    });

    it('names the colleagues consulted on a conversation once they are known', () => {
      const mine = makeConversation({ consultants: ['agent-2'] });
      let state = run(signedIn([mine]));
      expect(consultantNames(state, mine)).to.deep.equal(['agent-2']);
      state = reducePanel(state, { type: 'colleagues', colleagues: [{ id: 'agent-2', name: 'Alex Morgan', presence: 'available', available: true }] });
      expect(consultantNames(state, mine)).to.deep.equal(['Alex Morgan']);
    });

    it('tells the agent its conversation closed, with the disposition’s label', () => {
      let state = run(signedIn([makeConversation()]), { type: 'dispositions', dispositions: [{ id: 'resolved', label: 'Resolved' }] });
      state = reducePanel(state, { type: 'conversation', conversation: makeConversation({ state: 'closed', disposition: 'resolved' }) });
      expect(state.sessions).to.deep.equal([]);
      expect(state.lastClosed).to.deep.equal({ conversationId: 'conv-1', title: 'Ana WhatsApp', disposition: 'resolved' });
      // A conversation that went to a colleague is not "closed" for this agent.
      const moved = run(signedIn([makeConversation()]), { type: 'conversation', conversation: makeConversation({ assignedAgentId: 'agent-2' }) });
      expect(moved.lastClosed).to.equal(null);
    });

    it('updates the waiting count of the agent’s own queues from `queue` events', () => {
      const general = { id: 'general', name: 'General', numbers: [], agentIds: ['agent-1'], waiting: 0, longestWaitSince: null };
      let state = run(signedIn([]), { type: 'queues', queues: [general] });
      state = reducePanel(state, event({ type: 'queue', data: { queueId: 'general', waiting: 2, longestWaitSince: at(5) } }));
      expect(state.queues).to.deep.equal([{ ...general, waiting: 2, longestWaitSince: at(5) }]);
      const before = state;
      state = reducePanel(state, event({ type: 'queue', data: { queueId: 'vip', waiting: 9, longestWaitSince: null } }));
      expect(state).to.equal(before);
    });
  });
});
