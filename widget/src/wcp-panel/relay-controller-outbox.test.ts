/**
 * Sends the outbox holds across a reload (or a CRM form navigation, which creates the PCF control
 * again) and sends the relay refuses after the connection came back: the real relay client,
 * controller and store against the relay mock, without the DOM.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { WINDOW_EXPIRED_MESSAGE, type Message } from '@wcp/protocol';
import { controllerHost } from '../test/controller-host.js';
import { SendMessageEvent } from '../events/send-message-event.js';
import { createRelayClient, type RelayClient } from '../relay/relay-client.js';
import { createPanelStore, loadedMessages, threadOf, type PanelState } from '../state/panel-store.js';
import { RELAY, makeAgent, makeConversation, makeMessage } from '../test/fixtures.js';
import { memoryStorage } from '../test/memory-storage.js';
import { emptyFake, relayHandlers, type RelayFake } from '../test/panel-relay-fake.js';
import { devToken, eventsEndpoint, http, HttpResponse, startRelayMock, worker } from '../test/relay-mock.js';
import { RelayController } from './relay-controller.js';

const fast = { baseMs: 10, maxMs: 40 };
const KEY = 'wcp-outbox:agent-1';

/** A panel without the DOM: the real relay client, the real controller and store. */
function panel(storage: ReturnType<typeof memoryStorage>) {
  const relay: RelayClient = createRelayClient({ baseUrl: RELAY, getToken: async () => devToken(), outboxStorage: storage, backoff: fast });
  const host = controllerHost();
  const store = createPanelStore();
  // Not the window: msw's worker stops mocking this page when the window says `beforeunload`.
  const page = new EventTarget();
  const controller = new RelayController(host, store, { relay: () => relay, page });
  return { relay, store, controller, page };
}

const rowsWithBody = (state: PanelState, body: string) => threadOf(state, 'conv-1').messages.filter((m) => m.body === body);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const WINDOW_CLOSED = { status: 422, error: 'window_expired', message: WINDOW_EXPIRED_MESSAGE };

/** The relay fake with conv-1 holding these messages. */
function withConversation(...messages: Message[]): RelayFake {
  const fake = emptyFake();
  fake.conversations = [makeConversation()];
  fake.messages = { 'conv-1': messages };
  return fake;
}

describe('RelayController: sends the outbox held, and sends refused later', () => {
  before(startRelayMock);
  afterEach(() => worker.resetHandlers());

  for (const answered of ['after sign-in', 'before sign-in finished'] as const) {
  it(`after a reload, a send the relay already had shows once, not as a pending row beside the saved one (answered ${answered})`, async () => {
    // The agent sent "On my way"; the relay stored it (and it was delivered) but the page reloaded
    // (or the CRM form changed) before the POST's answer came back: the outbox still holds it.
    const storage = memoryStorage();
    storage.setItem(KEY, JSON.stringify([{ clientId: 'c-1', conversationId: 'conv-1', request: { body: 'On my way', clientId: 'c-1' }, queuedAt: new Date(Date.now() - 5_000).toISOString() }]));
    // Saved without a clientId (as a relay older than Message.clientId answers): the POST's answer alone must clear the row.
    const saved = makeMessage({ id: 'msg-saved', direction: 'outbound', body: 'On my way', status: 'delivered', agentId: 'agent-1', createdAt: new Date(Date.now() - 4_000).toISOString() });
    const fake = withConversation(makeMessage({ id: 'in-1', body: 'Where is my order?' }), saved);
    // The relay dedupes by clientId: it answers with the stored message (and writes no new event).
    fake.sentMessageId = saved.id;
    worker.use(eventsEndpoint().handler, ...relayHandlers(fake));
    // The outbox posts when the stream opens, while the panel still loads the agent: its answer can come first.
    if (answered === 'before sign-in finished') worker.use(http.get(`${RELAY}/api/v1/me`, async () => (await waitUntil(() => fake.answered === 1), HttpResponse.json(makeAgent()))));
    const { store, controller } = panel(storage);
    controller.hostConnected();
    try {
      await waitUntil(() => fake.posted.length === 1 && !storage.map.has(KEY), 'the outbox flushed its send');
      await waitUntil(() => loadedMessages(store.state, 'conv-1').length === 2, 'transcript loaded');
      await sleep(300);
      const rows = rowsWithBody(store.state, 'On my way');
      expect(
        rows.map((m) => `${m.id} (${m.status})`),
        'rows showing "On my way"',
      ).to.deep.equal(['msg-saved (delivered)']);
    } finally {
      controller.hostDisconnected();
    }
  });
  }

  it('after a reload, a queued send the relay refuses (window_expired) gives the agent its text back', async () => {
    const storage = memoryStorage();
    storage.setItem(KEY, JSON.stringify([{ clientId: 'c-2', conversationId: 'conv-1', request: { body: 'Your refund of 40 EUR was approved', clientId: 'c-2' }, queuedAt: new Date().toISOString() }]));
    const fake = withConversation(makeMessage({ id: 'in-1' }));
    fake.refuseSendWith = WINDOW_CLOSED;
    worker.use(eventsEndpoint().handler, ...relayHandlers(fake));
    const { store, controller } = panel(storage);
    controller.hostConnected();
    try {
      await waitUntil(() => fake.posted.length === 1 && !storage.map.has(KEY), 'the outbox posted and dropped its send');
      await waitUntil(() => store.state.notice !== '', 'the agent was told');
      expect(store.state.notice).to.contain('was not sent');
      expect(store.state.drafts.get('conv-1') ?? '', 'draft of conv-1').to.contain('Your refund of 40 EUR was approved');
    } finally {
      controller.hostDisconnected();
    }
  });

  it('two sends queued while offline and both refused: neither text, nor what the agent typed since, is lost', async () => {
    const storage = memoryStorage();
    const fake = withConversation(makeMessage({ id: 'in-1' }));
    fake.refuseSendWith = WINDOW_CLOSED;
    const events = eventsEndpoint();
    worker.use(events.handler, ...relayHandlers(fake));
    const { store, controller, page } = panel(storage);
    controller.hostConnected();
    try {
      await waitUntil(() => store.state.connection === 'open' && store.state.selectedId === 'conv-1', 'signed in');
      // The connection drops.
      events.setDown(true);
      events.latest.close();
      await waitUntil(() => store.state.connection === 'reconnecting', 'reconnecting');
      const type = (draft: string) => store.dispatch({ type: 'draft', conversationId: 'conv-1', draft });
      type('First answer: your parcel left the depot');
      const first = controller.sendMessage(new SendMessageEvent('First answer: your parcel left the depot', null, null), () => undefined);
      type('Second answer: it arrives tomorrow');
      const second = controller.sendMessage(new SendMessageEvent('Second answer: it arrives tomorrow', null, null), () => undefined);
      type('Third, still being typed');
      expect(threadOf(store.state, 'conv-1').messages.filter((m) => m.pending)).to.have.length(2);
      const leaving = () => {
        const event = new Event('beforeunload', { cancelable: true });
        page.dispatchEvent(event);
        return event.defaultPrevented;
      };
      expect(leaving(), 'closing the tab with sends unconfirmed asks first').to.equal(true);
      // Back online: the outbox posts both; the relay refuses both.
      events.setDown(false);
      await Promise.all([first, second]);
      expect(fake.posted).to.have.length(2);
      const draft = store.state.drafts.get('conv-1') ?? '';
      expect(draft, 'draft after both refusals').to.contain('First answer');
      expect(draft, 'draft after both refusals').to.contain('Second answer');
      expect(draft, 'draft after both refusals').to.contain('Third, still being typed');
      expect(leaving(), 'nothing unconfirmed: the tab closes without asking').to.equal(false);
    } finally {
      controller.hostDisconnected();
    }
  });
});
