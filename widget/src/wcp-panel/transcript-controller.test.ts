import { expect } from '@open-wc/testing';
import type { Message, MessagePage } from '@wcp/protocol';
import type { ReactiveControllerHost } from 'lit';
import type { OutboxItem, RelayClient } from '../relay/relay-client.js';
import { makeMessage } from '../test/fixtures.js';
import { TranscriptController } from './transcript-controller.js';

/** A relay whose message pages are answered by the test, one `listMessages` call at a time. */
function fakeRelay() {
  const calls: { conversationId: string; before?: string | null; answer(page: MessagePage): void; fail(error: Error): void }[] = [];
  const relay = {
    listMessages: (conversationId: string, page?: { before?: string | null }) =>
      new Promise<MessagePage>((answer, fail) => calls.push({ conversationId, before: page?.before, answer, fail })),
  } as unknown as RelayClient;
  return { relay, calls };
}

function setUp() {
  const { relay, calls } = fakeRelay();
  const notices: string[] = [];
  let updates = 0;
  const host = { requestUpdate: () => (updates += 1) } as unknown as ReactiveControllerHost;
  const transcripts = new TranscriptController(host, { relay: () => relay, agentId: () => 'agent-1', notify: (text) => notices.push(text) });
  return { transcripts, calls, notices, updates: () => updates };
}

const settle = () => new Promise((resolve) => setTimeout(resolve));
const at = (minute: number) => `2025-06-02T10:${String(minute).padStart(2, '0')}:00.000Z`;
const ids = (messages: readonly Message[]) => messages.map((m) => m.id);

function queued(clientId: string, body: string, extra: Partial<OutboxItem['request']> = {}): OutboxItem {
  return { clientId, conversationId: 'conv-1', request: { clientId, body, ...extra }, queuedAt: at(30) };
}

describe('TranscriptController', () => {
  it('loads a transcript once, on first open, and keeps messages that arrived while the page loaded', async () => {
    const { transcripts, calls } = setUp();
    transcripts.open('conv-1');
    transcripts.open('conv-1');
    expect(calls).to.have.length(1);
    expect(transcripts.thread('conv-1').loadingOlder).to.equal(true);

    const live = makeMessage({ id: 'live', createdAt: at(5) });
    transcripts.receive(live, false);
    calls[0]!.answer({ items: [makeMessage({ id: 'a', createdAt: at(1) }), makeMessage({ id: 'b', createdAt: at(9) })], next: 'cursor-1' });
    await settle();

    expect(ids(transcripts.loaded('conv-1'))).to.deep.equal(['a', 'live', 'b']);
    expect(transcripts.thread('conv-1')).to.include({ hasOlder: true, loadingOlder: false });
  });

  it('forgets a transcript that failed to load, says so, and loads it again on the next open', async () => {
    const { transcripts, calls, notices } = setUp();
    transcripts.open('conv-1');
    calls[0]!.fail(new Error('offline'));
    await settle();

    expect(notices).to.deep.equal(['The transcript could not be loaded: offline']);
    transcripts.open('conv-1');
    expect(calls).to.have.length(2);
  });

  it('loads older pages before the cursor, one at a time', async () => {
    const { transcripts, calls } = setUp();
    transcripts.open('conv-1');
    calls[0]!.answer({ items: [makeMessage({ id: 'b', createdAt: at(9) })], next: 'cursor-1' });
    await settle();

    void transcripts.loadOlder('conv-1');
    void transcripts.loadOlder('conv-1');
    expect(calls.slice(1).map((c) => c.before)).to.deep.equal(['cursor-1']);
    calls[1]!.answer({ items: [makeMessage({ id: 'a', createdAt: at(1) })], next: null });
    await settle();

    expect(ids(transcripts.loaded('conv-1'))).to.deep.equal(['a', 'b']);
    expect(transcripts.thread('conv-1')).to.include({ hasOlder: false, loadingOlder: false });
  });

  it('keeps messages that arrived while an older page failed to load, and can try again', async () => {
    const { transcripts, calls, notices } = setUp();
    transcripts.open('conv-1');
    calls[0]!.answer({ items: [makeMessage({ id: 'b', createdAt: at(9) })], next: 'cursor-1' });
    await settle();

    void transcripts.loadOlder('conv-1');
    transcripts.receive(makeMessage({ id: 'live', createdAt: at(12) }), false);
    calls[1]!.fail(new Error('offline'));
    await settle();

    expect(ids(transcripts.loaded('conv-1'))).to.deep.equal(['b', 'live']);
    expect(notices).to.deep.equal(['Older messages could not be loaded: offline']);
    expect(transcripts.thread('conv-1')).to.include({ hasOlder: true, loadingOlder: false });
  });

  it('a first page that arrives after the session closed is dropped, and the next open loads again', async () => {
    const { transcripts, calls } = setUp();
    transcripts.open('conv-1');
    transcripts.unload('conv-1');
    calls[0]!.answer({ items: [makeMessage({ id: 'b', createdAt: at(9) })], next: null });
    await settle();

    expect(transcripts.loaded('conv-1')).to.deep.equal([]);
    transcripts.open('conv-1');
    expect(calls).to.have.length(2);
  });

  it('an older page that arrives after the session closed is dropped', async () => {
    const { transcripts, calls } = setUp();
    transcripts.open('conv-1');
    calls[0]!.answer({ items: [makeMessage({ id: 'b', createdAt: at(9) })], next: 'cursor-1' });
    await settle();

    const loading = transcripts.loadOlder('conv-1');
    transcripts.unload('conv-1');
    calls[1]!.answer({ items: [makeMessage({ id: 'a', createdAt: at(1) })], next: null });
    await loading;

    expect(transcripts.loaded('conv-1')).to.deep.equal([]);
  });

  it('shows sends as pending after the transcript until the relay has them', async () => {
    const { transcripts, calls } = setUp();
    transcripts.open('conv-1');
    calls[0]!.answer({ items: [makeMessage({ id: 'q', body: 'Where is my order?' })], next: null });
    await settle();

    transcripts.addPending(queued('c1', 'On its way', { replyToMessageId: 'q' }));
    transcripts.addPending(queued('c1', 'On its way', { replyToMessageId: 'q' }));
    const [, pending, ...rest] = transcripts.thread('conv-1').messages;
    expect(rest).to.have.length(0);
    expect(pending).to.include({ id: 'pending:c1', body: 'On its way', status: 'queued', agentId: 'agent-1', pending: true });
    expect(pending!.replyTo).to.deep.equal({ id: 'q', body: 'Where is my order?' });

    transcripts.removePending('conv-1', 'c1');
    expect(ids(transcripts.thread('conv-1').messages)).to.deep.equal(['q']);
  });

  it('drops the pending copy when the relay echoes our send before answering the POST', async () => {
    const { transcripts, calls } = setUp();
    transcripts.open('conv-1');
    calls[0]!.answer({ items: [], next: null });
    await settle();

    transcripts.addPending(queued('c1', 'Hello'));
    transcripts.addPending(queued('c2', 'Hello again'));
    transcripts.receive(makeMessage({ id: 'sent-1', direction: 'outbound', body: 'Hello', status: 'queued' }), false);

    expect(ids(transcripts.thread('conv-1').messages)).to.deep.equal(['sent-1', 'pending:c2']);
  });

  it('patches the status of a loaded message and ignores unknown ones', async () => {
    const { transcripts, calls } = setUp();
    transcripts.open('conv-1');
    calls[0]!.answer({ items: [makeMessage({ id: 'm', direction: 'outbound', status: 'sent' })], next: null });
    await settle();

    transcripts.patchMessage('conv-1', 'm', (m) => ({ ...m, status: 'delivered' }));
    transcripts.patchMessage('conv-1', 'elsewhere', (m) => ({ ...m, status: 'failed' }));
    expect(transcripts.loaded('conv-1').map((m) => m.status)).to.deep.equal(['delivered']);
  });

  it('moves a status only forward, whatever order the POST answer, events and pages arrive in', async () => {
    const { transcripts, calls } = setUp();
    transcripts.open('conv-1');
    calls[0]!.answer({ items: [], next: null });
    await settle();
    const answer = makeMessage({ id: 'out', direction: 'outbound', body: 'Hi', status: 'queued', createdAt: at(30) });

    transcripts.receive(answer, false);
    transcripts.applyStatus('conv-1', 'out', { status: 'sent', errorCode: null, errorMessage: null });
    transcripts.upsertMessage(answer); // the POST's answer, late
    transcripts.applyStatus('conv-1', 'out', { status: 'sending', errorCode: null, errorMessage: null });
    expect(transcripts.loaded('conv-1').map((m) => m.status)).to.deep.equal(['sent']);

    transcripts.applyStatus('conv-1', 'out', { status: 'failed', errorCode: 63016, errorMessage: 'Outside the window' });
    transcripts.applyStatus('conv-1', 'out', { status: 'delivered', errorCode: null, errorMessage: null });
    expect(transcripts.loaded('conv-1')[0]).to.include({ status: 'failed', errorCode: 63016, errorMessage: 'Outside the window' });
  });

  it('requeues a failed message for a retry and puts it back if the relay refuses', async () => {
    const { transcripts, calls } = setUp();
    transcripts.open('conv-1');
    calls[0]!.answer({ items: [makeMessage({ id: 'm', direction: 'outbound', status: 'failed', errorCode: 30008, errorMessage: 'Unknown' })], next: null });
    await settle();

    const restore = transcripts.resetForRetry('conv-1', 'm');
    expect(transcripts.loaded('conv-1')[0]).to.include({ status: 'queued', errorCode: null, errorMessage: null });
    transcripts.applyStatus('conv-1', 'm', { status: 'sent', errorCode: null, errorMessage: null });
    expect(transcripts.loaded('conv-1')[0]!.status).to.equal('sent');
    restore();
    expect(transcripts.loaded('conv-1')[0]).to.include({ status: 'failed', errorCode: 30008, errorMessage: 'Unknown' });
  });

  it('counts new customer messages in background sessions as unread until opened', () => {
    const { transcripts, updates } = setUp();
    const inbound = makeMessage({ conversationId: 'conv-2', direction: 'inbound' });
    transcripts.receive(inbound, true);
    transcripts.receive(makeMessage({ conversationId: 'conv-2', direction: 'outbound' }), true);
    transcripts.receive(makeMessage({ conversationId: 'conv-2', direction: 'inbound' }), false);
    expect(transcripts.unreadCount('conv-2')).to.equal(1);
    expect(updates()).to.be.greaterThan(0);

    transcripts.open('conv-2');
    expect(transcripts.unreadCount('conv-2')).to.equal(0);
  });
});
