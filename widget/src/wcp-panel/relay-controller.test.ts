import { expect, waitUntil } from '@open-wc/testing';
import type { Conversation, MessagePage, RelayEvent } from '@wcp/protocol';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { controllerHost } from '../test/controller-host.js';
import type { RelayClient } from '../relay/relay-client.js';
import { RelayError } from '../relay/relay-error.js';
import { createPanelStore, loadedMessages, threadOf } from '../state/panel-store.js';
import { makeAgent, makeConversation, makeMessage, makeOffer } from '../test/fixtures.js';
import { memoryStorage } from '../test/memory-storage.js';
import { workInProgressKey } from '../state/work-in-progress.js';
import { RelayController } from './relay-controller.js';

/** A relay whose message pages are answered by the test, one `listMessages` call at a time. */
function fakeRelay() {
  const pages: { conversationId: string; before?: string | null; answer(page: MessagePage): void; fail(error: Error): void }[] = [];
  let subscriptions = 0;
  let closed = 0;
  let emit: (event: RelayEvent) => void = () => undefined;
  const relay = {
    subscribe: (onEvent: (event: RelayEvent) => void, onConnection?: (state: 'open') => void) => {
      subscriptions += 1;
      emit = onEvent;
      onConnection?.('open');
      return () => (closed += 1);
    },
    me: async () => makeAgent(),
    listConversations: async () => [makeConversation(), makeConversation({ id: 'conv-2' })],
    pendingSends: async () => [],
    quickReplies: async () => [],
    dispositions: async () => [],
    serverClockOffsetMs: () => null,
    listMessages: (conversationId: string, page?: { before?: string | null }) =>
      new Promise<MessagePage>((answer, fail) => pages.push({ conversationId, before: page?.before, answer, fail })),
  } as unknown as RelayClient;
  return { relay, pages, emit: (event: RelayEvent) => emit(event), streams: () => ({ subscriptions, closed }) };
}

function setUp() {
  const fake = fakeRelay();
  const controllers: ReactiveController[] = [];
  const host = {
    isConnected: true,
    addController: (c: ReactiveController) => controllers.push(c),
    removeController: () => undefined,
    requestUpdate: () => undefined,
    updateComplete: Promise.resolve(true),
  } satisfies ReactiveControllerHost & { isConnected: boolean };
  const store = createPanelStore();
  let relay: RelayClient | null = fake.relay;
  // Nothing kept in this page's sessionStorage: these tests reuse the same agent and conversations.
  const controller = new RelayController(host, store, { relay: () => relay, workStorage: null });
  return { ...fake, store, controller, controllers, setRelay: (next: RelayClient | null) => (relay = next) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve));

describe('RelayController', () => {
  it('is a controller of its host: connects with it, loads the agent and the first session’s transcript once', async () => {
    const { controller, controllers, store, pages, streams } = setUp();
    expect(controllers).to.deep.equal([controller]);
    controller.hostConnected();
    await waitUntil(() => pages.length === 1, 'first page requested');
    expect(store.state.agent?.id).to.equal('agent-1');
    expect(pages[0]!.conversationId).to.equal('conv-1');

    store.dispatch({ type: 'select', conversationId: 'conv-2' });
    store.dispatch({ type: 'select', conversationId: 'conv-1' });
    expect(pages.map((p) => p.conversationId)).to.deep.equal(['conv-1', 'conv-2']);

    controller.hostDisconnected();
    expect(streams()).to.deep.equal({ subscriptions: 1, closed: 1 });
  });

  it('says when a transcript failed to load, and loads it again the next time it is selected', async () => {
    const { controller, store, pages } = setUp();
    controller.hostConnected();
    await waitUntil(() => pages.length === 1);
    pages[0]!.fail(new Error('offline'));
    await settle();
    expect(store.state.notice).to.equal('The transcript could not be loaded: offline');

    store.dispatch({ type: 'select', conversationId: 'conv-2' });
    store.dispatch({ type: 'select', conversationId: 'conv-1' });
    expect(pages.filter((p) => p.conversationId === 'conv-1')).to.have.length(2);
  });

  it('loads older pages before the cursor, one at a time', async () => {
    const { controller, store, pages } = setUp();
    controller.hostConnected();
    await waitUntil(() => pages.length === 1);
    pages[0]!.answer({ items: [makeMessage({ id: 'b', createdAt: '2025-06-02T10:09:00.000Z' })], next: 'cursor-1' });
    await settle();

    void controller.loadOlder('conv-1');
    void controller.loadOlder('conv-1');
    expect(pages.slice(1).map((p) => p.before)).to.deep.equal(['cursor-1']);
    pages[1]!.answer({ items: [makeMessage({ id: 'a', createdAt: '2025-06-02T10:01:00.000Z' })], next: null });
    await settle();
    expect(loadedMessages(store.state, 'conv-1').map((m) => m.id)).to.deep.equal(['a', 'b']);
    expect(threadOf(store.state, 'conv-1')).to.include({ hasOlder: false, loadingOlder: false });
  });

  it('passes stream events to the store and reconnects when the host is given another relay', async () => {
    const { controller, store, pages, emit, streams, setRelay } = setUp();
    controller.hostConnected();
    await waitUntil(() => pages.length === 1);
    emit({ id: '7', type: 'presence', data: { agentId: 'agent-1', presence: 'busy' } });
    expect(store.state.agent?.presence).to.equal('busy');

    controller.hostUpdate();
    expect(streams().subscriptions).to.equal(1);
    setRelay(fakeRelay().relay);
    controller.hostUpdate();
    expect(streams().closed).to.equal(1);
  });
  it('loads the agent and conversations once the relay is back, when it could not be reached at sign-in (a restart)', async () => {
    const { controller, store, relay } = setUp();
    let connection: (state: 'open' | 'reconnecting') => void = () => undefined;
    let down = true;
    Object.assign(relay, {
      subscribe: (_onEvent: unknown, onConnection: typeof connection) => {
        connection = onConnection;
        onConnection('open');
        return () => undefined;
      },
      me: async () => {
        if (down) throw new Error('The relay cannot be reached.');
        return makeAgent();
      },
    });
    controller.hostConnected();
    await waitUntil(() => store.state.notice !== '', 'the failed sign-in is told');
    expect(store.state.agent).to.equal(null);

    // The relay restarts: the stream drops and opens again.
    down = false;
    connection('reconnecting');
    connection('open');
    await waitUntil(() => store.state.agent !== null, 'the agent is loaded once the relay answers again');
    expect(store.state.sessions.map((s) => s.id)).to.deep.equal(['conv-1', 'conv-2']);
  });

  it('links a conversation with a customer the CRM knows to that contact on accept, and leaves an unknown one unlinked', async () => {
    const { controller, store, relay } = setUp();
    const linked: { id: string; record: unknown }[] = [];
    const known = makeConversation({ id: 'conv-known', state: 'open', assignedAgentId: null, customer: { phone: '+447700900123', profileName: 'Maria', waId: null } });
    const stranger = makeConversation({ id: 'conv-stranger', state: 'open', assignedAgentId: null, customer: { phone: '+447700900999', profileName: null, waId: null } });
    Object.assign(relay, {
      acceptOffer: async (id: string) => ({ ...(id === known.id ? known : stranger), state: 'active', assignedAgentId: 'agent-1' }),
      linkRecord: async (id: string, record: { entityType: string; id: string; name: string }) => {
        linked.push({ id, record });
        return { ...known, state: 'active', assignedAgentId: 'agent-1', linkedRecord: record };
      },
    });
    controller.hostConnected();
    await waitUntil(() => store.state.agent !== null, 'signed in');
    store.dispatch({ type: 'contactFound', phone: '+447700900123', matches: [{ id: 'c-maria', fullName: 'Maria Campbell' }] });
    store.dispatch({ type: 'contactFound', phone: '+447700900999', matches: [] });

    expect(await controller.accept(known.id)).to.equal(true);
    await waitUntil(() => linked.length === 1, 'linked');
    expect(linked[0]).to.deep.equal({ id: 'conv-known', record: { entityType: 'contact', id: 'c-maria', name: 'Maria Campbell' } });
    await waitUntil(() => store.state.sessions.find((s) => s.id === known.id)?.linkedRecord?.id === 'c-maria', 'the session shows the link');

    expect(await controller.accept(stranger.id)).to.equal(true);
    await settle();
    expect(linked.length, 'no contact, no link').to.equal(1);
  });

  /** An offer on the agent's screen, whose Reject the relay refuses with `refusal`. */
  async function offerRejectedWith(refusal: RelayError) {
    const set = setUp();
    const offered = makeConversation({ id: 'conv-offered', state: 'open', assignedAgentId: null });
    Object.assign(set.relay, {
      rejectOffer: async () => {
        throw refusal;
      },
    });
    set.controller.hostConnected();
    await waitUntil(() => set.store.state.agent !== null, 'signed in');
    set.store.dispatch({ type: 'relayEvent', event: { id: '1', type: 'offer', data: { conversationId: offered.id, conversation: offered, firstMessage: null } } as RelayEvent, now: Date.now() });
    expect(set.store.state.offers.map((o) => o.conversation.id)).to.deep.equal(['conv-offered']);
    await set.controller.reject(offered.id);
    return set.store;
  }

  it('takes the card away when Reject finds the offer already gone (taken, expired or withdrawn), and says so', async () => {
    const store = await offerRejectedWith(new RelayError(409, 'offer_not_yours', 'This conversation is not offered to you.'));
    expect(store.state.offers, 'no card left to answer').to.deep.equal([]);
    expect(store.state.notice).to.equal('This conversation is no longer offered to you.');
  });

  it('keeps the card when Reject could not reach the relay, so the agent can answer again', async () => {
    const store = await offerRejectedWith(new RelayError(0, 'network_error', 'The relay could not be reached.'));
    expect(store.state.offers.map((o) => o.conversation.id)).to.deep.equal(['conv-offered']);
    expect(store.state.notice).to.equal('The conversation could not be rejected: The relay could not be reached.');
  });

  it('tells the agent when a supervisor transfers one of their sessions away, as its tab goes', async () => {
    const { controller, store, pages, emit } = setUp();
    controller.hostConnected();
    await waitUntil(() => pages.length === 1);
    const session = store.state.sessions.find((s) => s.id === 'conv-2')!;
    emit({
      id: '8',
      type: 'state',
      data: { conversationId: 'conv-2', conversation: { ...session, state: 'open', assignedAgentId: null, transfer: { fromAgentId: 'sup-1', fromAgentName: 'Sam Supervisor', note: null } } },
    });
    expect(store.state.sessions.map((s) => s.id)).to.deep.equal(['conv-1']);
    expect(store.state.notice).to.match(/^Sam Supervisor transferred your conversation with .+ to another agent or queue\.$/);
  });
  it("a customer's HTML or SVG file, opened from the panel, cannot run script in the panel's page", async () => {
    // The file's type is the customer's (WhatsApp documents may be any file); the blob: URL the
    // panel opens belongs to the page hosting the panel (Dynamics), so an HTML or SVG file opened
    // in a new tab ("Open link in new tab", "Open image in new tab") ran there, as the agent.
    const files: Record<string, Blob> = {
      '/api/v1/media/med-html': new Blob(['<script>parent.__pwnedByMedia = "html"</script>'], { type: 'text/html' }),
      '/api/v1/media/med-svg': new Blob(['<svg xmlns="http://www.w3.org/2000/svg"><script>parent.__pwnedByMedia = "svg"</script></svg>'], { type: 'image/svg+xml' }),
      '/api/v1/media/med-png': new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' }),
    };
    const { controller, store, pages, relay } = setUp();
    Object.assign(relay, { fetchMedia: async (url: string) => files[url]! });
    const frames: HTMLIFrameElement[] = [];
    try {
      controller.hostConnected();
      await waitUntil(() => pages.length === 1);
      for (const url of Object.keys(files)) await controller.loadMedia(url);
      for (const url of ['/api/v1/media/med-html', '/api/v1/media/med-svg']) {
        const frame = document.createElement('iframe');
        frame.src = store.state.mediaUrls.get(url)!;
        frames.push(frame);
        document.body.append(frame);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((window as { __pwnedByMedia?: string }).__pwnedByMedia).to.equal(undefined);
      // Photos, audio and video keep their type.
      expect((await fetch(store.state.mediaUrls.get('/api/v1/media/med-png')!)).headers.get('content-type')).to.equal('image/png');
    } finally {
      frames.forEach((frame) => frame.remove());
      delete (window as { __pwnedByMedia?: string }).__pwnedByMedia;
    }
  });

  it('frees the photos of a conversation that leaves the agent (closed or transferred), and only those', async () => {
    const { controller, store, pages, emit, relay } = setUp();
    Object.assign(relay, { fetchMedia: async () => new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' }) });
    const photo = (id: string, conversationId: string) =>
      makeMessage({ id, conversationId, media: [{ id: `med-${id}`, contentType: 'image/png', url: `/api/v1/media/med-${id}`, filename: null, size: 2 }] });
    const revoked: string[] = [];
    const revoke = URL.revokeObjectURL;
    URL.revokeObjectURL = (url: string) => {
      revoked.push(url);
      revoke(url);
    };
    try {
      controller.hostConnected();
      await waitUntil(() => pages.length === 1);
      pages[0]!.answer({ items: [photo('a', 'conv-1')], next: null });
      store.dispatch({ type: 'select', conversationId: 'conv-2' });
      await waitUntil(() => pages.length === 2);
      pages[1]!.answer({ items: [photo('b', 'conv-2')], next: null });
      await settle();
      await controller.loadMedia('/api/v1/media/med-a');
      await controller.loadMedia('/api/v1/media/med-b');
      const kept = store.state.mediaUrls.get('/api/v1/media/med-a')!;
      const freed = store.state.mediaUrls.get('/api/v1/media/med-b')!;
      expect(kept).to.match(/^blob:/);

      const session = store.state.sessions.find((s) => s.id === 'conv-2')!;
      emit({ id: '9', type: 'state', data: { conversationId: 'conv-2', conversation: { ...session, state: 'closed', disposition: 'resolved' } } });
      expect(revoked).to.deep.equal([freed]);
      expect(store.state.mediaUrls.get('/api/v1/media/med-a')).to.equal(kept);

      controller.hostDisconnected();
      expect(revoked).to.deep.equal([freed, kept]);
    } finally {
      URL.revokeObjectURL = revoke;
    }
  });
});

/** A relay listing the agent's conversations as `listed()` says (the relay's order: newest-updated first). */
function listingRelay(listed: () => Conversation[], agent = makeAgent()) {
  let emit: (event: RelayEvent) => void = () => undefined;
  const relay = {
    subscribe: (onEvent: (event: RelayEvent) => void, onConnection?: (state: 'open') => void) => {
      emit = onEvent;
      onConnection?.('open');
      return () => undefined;
    },
    me: async () => agent,
    listConversations: async () => listed(),
    pendingSends: async () => [],
    dispositions: async () => [{ id: 'resolved', label: 'Resolved' }],
    serverClockOffsetMs: () => null,
    listMessages: async () => ({ items: [], next: null }),
    acceptOffer: async (id: string) => makeConversation({ id, customer: { phone: '+14155550133', profileName: 'Cy', waId: null } }),
  } as unknown as RelayClient;
  return { relay, emit: (event: RelayEvent) => emit(event) };
}

/** The panel of one page of the tab, without the DOM: its store and controller on the tab's `storage`. */
async function pageOfTab(storage: ReturnType<typeof memoryStorage>, relay: RelayClient) {
  const host = controllerHost();
  const store = createPanelStore();
  const page = new EventTarget();
  const controller = new RelayController(host, store, { relay: () => relay, page, workStorage: storage });
  controller.hostConnected();
  await waitUntil(() => store.state.agent !== null, 'signed in');
  return { store, controller, page };
}

describe('RelayController: the work in progress across a reload', () => {
  const KEY = workInProgressKey('agent-1');
  const ana = makeConversation({ id: 'conv-ana' });
  const bob = makeConversation({ id: 'conv-bob', customer: { phone: '+14155550111', profileName: 'Bob', waId: null } });
  const dee = makeConversation({ id: 'conv-dee', customer: { phone: '+14155550144', profileName: 'Dee', waId: null } });
  const wrapUp = { disposition: 'resolved', summary: 'Refund issued' };

  it('gives the agent back the drafts, wrap-up and unread count, in the tabs’ order, after the page reloads', async () => {
    const storage = memoryStorage();
    const before = listingRelay(() => [ana, bob, dee]);
    const { store, controller, page } = await pageOfTab(storage, before.relay);
    const type = (conversationId: string, text: string) => {
      // As the composer does: one action per key.
      for (let end = 1; end <= text.length; end += 1) store.dispatch({ type: 'draft', conversationId, draft: text.slice(0, end) });
    };
    try {
      before.emit({ id: '1', type: 'offer', data: { conversationId: 'conv-cy', conversation: makeOffer({ id: 'conv-cy' }), firstMessage: null } });
      expect(await controller.accept('conv-cy')).to.equal(true);
      type('conv-cy', 'Let me check');
      store.dispatch({ type: 'select', conversationId: 'conv-dee' });
      type('conv-dee', 'Anything else?');
      store.dispatch({ type: 'select', conversationId: 'conv-ana' });
      type('conv-ana', 'Your parcel left');
      before.emit({ id: '2', type: 'state', data: { conversationId: 'conv-bob', conversation: { ...bob, state: 'wrapup' } } });
      store.dispatch({ type: 'wrapUp', conversationId: 'conv-bob', wrapUp });
      store.dispatch({ type: 'select', conversationId: 'conv-cy' });
      before.emit({ id: '3', type: 'message', data: { conversationId: 'conv-ana', message: makeMessage({ conversationId: 'conv-ana', body: 'Thanks!' }) } });
      type('conv-cy', 'Let me check your order');
      const tabsBefore = store.state.sessions.map((s) => s.id);
      expect(tabsBefore).to.deep.equal(['conv-ana', 'conv-bob', 'conv-dee', 'conv-cy']);

      // The page reloads: the last keystrokes are written as it goes, not after the write delay.
      page.dispatchEvent(new Event('pagehide'));
      expect(storage.getItem(KEY)).to.contain('Let me check your order');
    } finally {
      // A reload disconnects nothing; only the test's timers go.
      controller.disconnect();
    }

    // Meanwhile Dee's conversation closed, and the relay lists the newest-updated first.
    const after = listingRelay(() => [makeConversation({ id: 'conv-cy' }), ana, { ...bob, state: 'wrapup' }]);
    const reloaded = await pageOfTab(storage, after.relay);
    try {
      const { state } = reloaded.store;
      expect(state.sessions.map((s) => s.id), 'the tabs in the order the agent had').to.deep.equal(['conv-ana', 'conv-bob', 'conv-cy']);
      expect(state.selectedId).to.equal('conv-cy');
      expect(Object.fromEntries(state.drafts)).to.deep.equal({ 'conv-ana': 'Your parcel left', 'conv-cy': 'Let me check your order' });
      expect(Object.fromEntries(state.wrapUps)).to.deep.equal({ 'conv-bob': wrapUp });
      expect(Object.fromEntries(state.unread)).to.deep.equal({ 'conv-ana': 1 });
      expect(storage.getItem(KEY), 'what was kept of the closed conversation left storage').not.to.contain('conv-dee');
    } finally {
      reloaded.controller.hostDisconnected();
    }
  });

  it('gives another agent signing in on this tab nothing of the first one’s work, and leaves it for them', async () => {
    const storage = memoryStorage();
    const first = await pageOfTab(storage, listingRelay(() => [ana]).relay);
    first.store.dispatch({ type: 'draft', conversationId: 'conv-ana', draft: 'For Dana only' });
    first.page.dispatchEvent(new Event('pagehide'));
    first.controller.disconnect();

    const other = await pageOfTab(storage, listingRelay(() => [{ ...ana, assignedAgentId: 'agent-2' }], makeAgent({ id: 'agent-2', name: 'Sam' })).relay);
    try {
      expect(other.store.state.sessions.map((s) => s.id)).to.deep.equal(['conv-ana']);
      expect(other.store.state.drafts.size).to.equal(0);
      expect(storage.getItem(KEY)).to.contain('For Dana only');
    } finally {
      other.controller.hostDisconnected();
    }
  });

  it('signs in as usual over work it cannot read, and writes it afresh', async () => {
    const storage = memoryStorage();
    storage.setItem(KEY, '{"format":1,"order":["conv-bob","conv-ana"],"drafts":{"conv-ana":');
    const { store, controller } = await pageOfTab(storage, listingRelay(() => [ana, bob]).relay);
    try {
      expect(store.state.sessions.map((s) => s.id)).to.deep.equal(['conv-ana', 'conv-bob']);
      store.dispatch({ type: 'draft', conversationId: 'conv-bob', draft: 'Hello' });
      await waitUntil(() => storage.getItem(KEY)?.includes('Hello'), 'written after the write delay');
    } finally {
      controller.hostDisconnected();
    }
  });

  it('keeps the work for the next panel when the host removes this one (the agent opened another record)', async () => {
    const storage = memoryStorage();
    const { store, controller } = await pageOfTab(storage, listingRelay(() => [ana]).relay);
    store.dispatch({ type: 'draft', conversationId: 'conv-ana', draft: 'Hello' });
    controller.hostDisconnected();
    expect(storage.getItem(KEY), 'written at once, not after the write delay').to.contain('Hello');
    const next = await pageOfTab(storage, listingRelay(() => [ana]).relay);
    try {
      expect(next.store.state.drafts.get('conv-ana')).to.equal('Hello');
    } finally {
      next.controller.hostDisconnected();
    }
  });

  it('keeps the work where the relay client keeps its outbox when not told where (none for a client that keeps none)', async () => {
    const storage = memoryStorage();
    const relay = { ...listingRelay(() => [ana]).relay, keptIn: storage } as RelayClient;
    const host = controllerHost();
    const store = createPanelStore();
    const controller = new RelayController(host, store, { relay: () => relay, page: new EventTarget() });
    controller.hostConnected();
    await waitUntil(() => store.state.agent !== null, 'signed in');
    store.dispatch({ type: 'draft', conversationId: 'conv-ana', draft: 'Hello' });
    controller.hostDisconnected();
    expect(storage.getItem(KEY)).to.contain('Hello');
  });
});
