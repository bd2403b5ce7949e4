import { msg, str } from '@lit/localize';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Conversation, ConversationState, Message, Presence, RelayEvent, SendMessageRequest } from '@wcp/protocol';
import type { SendMessageEvent } from '../events/send-message-event.js';
import type { SendTemplateEvent } from '../events/send-template-event.js';
import type { WrapUp } from '../events/change-state-event.js';
import { messageOf } from '../lib/error-text.js';
import { TypingThrottle } from '@wcp/protocol/typing';
import type { OutboxItem, RelayClient } from '../relay/relay-client.js';
import { RelayError } from '../relay/relay-error.js';
import { contactFor, isReplyWindowClosed, selectedConversation, type PanelStore } from '../state/panel-store.js';
import { KeptWork, type WorkInProgress, type WorkStorage } from '../state/work-in-progress.js';
import { sessionNotice } from './session-notices.js';
import { inertMediaBlob } from '../lib/inert-media.js';

/** What the relay controller needs from `<wcp-panel>` besides the store. */
export interface RelayHostOptions {
  /** The relay client the host was given (its `relay` property). */
  relay(): RelayClient | null;
  /** A new relay is being connected: what was kept for the last one goes. */
  connecting?(relay: RelayClient): void;
  /** The agent and their conversations are loaded. */
  ready?(relay: RelayClient): void;
  /** Every event of the stream, after the store has it. */
  event?(event: RelayEvent): void;
  /** A known customer's conversation was linked to their contact on accept, through the relay alone (no link kept in the CRM). */
  linkedOnAccept?(conversation: Conversation): void;
  /** Where the page's `beforeunload` and `pagehide` are listened for: the window (a test gives a target of its own). */
  page?: EventTarget;
  /**
   * Where the agent's work in progress (drafts, wrap-ups, unread counts, the tabs' order) is kept
   * across a reload: where the relay client keeps its outbox when not given (sessionStorage, or
   * none); `null` keeps none.
   */
  workStorage?: WorkStorage | null;
}

const STREAM_WAIT_MS = 3000;
/** Messages read to find the customer's newest for an offer: a transferred one may end with the previous agent's replies. */
const OFFER_MESSAGE_PAGE = 20;

/**
 * The panel's side of the relay: subscribes to the event stream while the host is connected
 * (again when its `relay` changes), loads the agent and conversations, loads each selected
 * conversation's transcript, and carries out what the agent does (accept, send, retry, …).
 * It dispatches what happened to the panel store and keeps no conversation state itself.
 */
export class RelayController implements ReactiveController {
  private connected: RelayClient | null = null;
  /** The host's `relay` property as last seen: a change reconnects. */
  private given: RelayClient | null = null;
  private unsubscribeStream: (() => void) | null = null;
  private unsubscribeStore: (() => void) | null = null;
  private readonly mediaInFlight = new Set<string>();
  /** The blob: URLs the store held at its last change (releaseMedia). */
  private heldMedia: ReadonlyMap<string, string> = new Map();
  private readonly typingThrottle = new TypingThrottle();
  private readonly page: EventTarget | undefined;
  /** Sends queued before this page that the relay has answered (onOutboxSettled), by clientId. */
  private readonly settledSends = new Set<string>();
  /** The last sign-in load (agent, conversations) failed: the stream's next `open` loads again. */
  private signInFailed = false;
  /** The signed-in agent's work in progress in storage; null until the agent is known. */
  private keptWork: KeptWork | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & { readonly isConnected: boolean },
    private readonly store: PanelStore,
    private readonly options: RelayHostOptions,
  ) {
    this.page = options.page ?? (typeof window === 'undefined' ? undefined : window);
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribeStore ??= this.store.subscribe(() => {
      this.releaseMedia();
      this.loadSelectedTranscript();
      this.keptWork?.changed(this.store.state);
    });
    this.page?.addEventListener('beforeunload', this.warnOfUnsentSends);
    this.page?.addEventListener('pagehide', this.keepWork);
    if (this.options.relay() && !this.connected) void this.start();
  }

  /**
   * The host removed the panel (the PCF control's `destroy`: the agent opened another record):
   * its work in progress is written, for the panel the next form mounts, as for a reload.
   */
  hostDisconnected(): void {
    this.page?.removeEventListener('beforeunload', this.warnOfUnsentSends);
    this.page?.removeEventListener('pagehide', this.keepWork);
    this.keptWork?.flush();
    this.keptWork = null;
    this.disconnect();
    this.unsubscribeStore?.();
    this.unsubscribeStore = null;
  }

  /** Revokes each blob: URL that left the store since the last change, freeing its bytes. */
  private releaseMedia(): void {
    const held = this.store.state.mediaUrls;
    if (held === this.heldMedia) return;
    for (const [url, objectUrl] of this.heldMedia) if (objectUrl && held.get(url) !== objectUrl) URL.revokeObjectURL(objectUrl);
    this.heldMedia = held;
  }

  /**
   * The outbox lives in the tab's sessionStorage (another tab must not post the same sends): a
   * reload keeps it, closing the tab does not. So while a send is unconfirmed, closing or leaving
   * the page asks first (the browser's own "Leave site?" dialog).
   */
  private readonly warnOfUnsentSends = (event: Event): void => {
    if (![...this.store.state.pending.values()].some((list) => list.length > 0)) return;
    event.preventDefault();
    // Chromium before 119 and Safari ask only when returnValue is set.
    (event as BeforeUnloadEvent).returnValue = '';
  };

  /** The page goes away (a reload): what the agent typed in the last moment is written now, not after the write delay. */
  private readonly keepWork = (): void => this.keptWork?.flush();

  /** A new `relay` property: the old stream closes and the new one opens, before the host renders. */
  hostUpdate(): void {
    const relay = this.options.relay();
    if (relay === this.given || !this.host.isConnected) return;
    this.given = relay;
    this.disconnect();
    if (relay) void this.start();
  }

  /** Closes the event stream and frees media; the work in progress kept so far is written. */
  disconnect(): void {
    this.unsubscribeStream?.();
    this.unsubscribeStream = null;
    this.connected = null;
    this.signInFailed = false;
    this.keptWork?.flush();
    // Every blob: URL leaves the store, so releaseMedia revokes them all.
    this.store.dispatch({ type: 'mediaCleared' });
    this.mediaInFlight.clear();
  }

  private async start(): Promise<void> {
    const relay = this.options.relay();
    this.given = relay;
    if (!relay) return;
    this.connected = relay;
    this.options.connecting?.(relay);
    let streamOpen: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => (streamOpen = resolve));
    this.unsubscribeStream = relay.subscribe(
      (event) => {
        const told = sessionNotice(this.store.state, event);
        this.store.dispatch({ type: 'relayEvent', event, now: Date.now() });
        if (told) this.notify(told);
        this.options.event?.(event);
      },
      (connection) => {
        this.store.dispatch({ type: 'connection', connection });
        if (connection !== 'open') return;
        streamOpen();
        // The sign-in failed (the relay was restarting, or down, when the panel opened): the
        // stream is back, so the relay answers again; the agent's conversations load now.
        if (this.signInFailed && relay === this.connected) void this.signIn(relay);
      },
      (item, result) => this.onOutboxSettled(item, result),
      // Away longer than the relay keeps its event log: what changed meanwhile is loaded, not replayed.
      () => {
        if (relay === this.connected) void this.signIn(relay, true);
      },
    );
    // Stream first, then REST (docs/agent-api.md), so no event falls between the two; a stream
    // that does not open soon must not keep the agent from their conversations.
    await Promise.race([opened, new Promise((resolve) => setTimeout(resolve, STREAM_WAIT_MS))]);
    if (relay !== this.connected) return;
    await this.signIn(relay);
  }

  /**
   * Loads the agent, their conversations and unsent sends, then what the panel reads once (dispositions,
   * `ready`); on failure it says so, and loads again when the stream next opens.
   */
  private async signIn(relay: RelayClient, replace = false): Promise<void> {
    this.signInFailed = false;
    try {
      const [agent, conversations, queued] = await Promise.all([relay.me(), relay.listConversations(), relay.pendingSends()]);
      if (relay !== this.connected) return;
      // The outbox starts posting when the stream opens: a send it settled meanwhile is no longer pending.
      const unsettled = queued.filter((item) => !this.settledSends.has(item.clientId));
      const restored = this.keepWorkOf(agent.id, this.options.workStorage === undefined ? relay.keptIn : this.options.workStorage);
      this.store.dispatch({ type: 'signedIn', agent, conversations, queued: unsettled, clockOffsetMs: relay.serverClockOffsetMs(), replace, restored });
      // What was kept for conversations no longer the agent's sessions leaves storage now.
      if (restored) this.keptWork?.flush();
      void this.loadOfferMessages(relay);
    } catch (error) {
      if (relay !== this.connected) return;
      this.signInFailed = true;
      this.notify(msg(str`The relay could not be reached: ${messageOf(error)}`));
    }
    // Quick replies and scripts: CrmController.loadLibrary (the CRM's first), from `ready`.
    relay.dispositions().then(
      (dispositions) => this.store.dispatch({ type: 'dispositions', dispositions }),
      () => undefined, // without the list the wrap-up cannot close; the relay would say why
    );
    this.options.ready?.(relay);
  }

  /**
   * The work in progress kept for the agent, read once, at the agent's first sign-in in this panel
   * (after a reload); later sign-ins (the stream missed events) keep what the panel holds. From
   * now on the panel's changes are written under this agent's key, never another's.
   */
  private keepWorkOf(agentId: string, storage: WorkStorage | null): WorkInProgress | undefined {
    if (this.keptWork?.agentId === agentId) return undefined;
    this.keptWork?.flush();
    this.keptWork = new KeptWork(storage, agentId);
    return this.keptWork.read() ?? undefined;
  }

  /** The relay answered a send queued before this page (a reload, the control created again): it shows as stored, or its text comes back. */
  private onOutboxSettled(item: OutboxItem, result: Message | RelayError): void {
    const { conversationId, clientId, request } = item;
    this.settledSends.add(clientId);
    if (result instanceof RelayError) {
      this.refused(conversationId, result);
      if (request.body) this.store.dispatch({ type: 'draftRestored', conversationId, text: request.body });
      this.notify(msg(str`A message written offline was not sent: ${result.message}`));
    } else {
      this.store.dispatch({ type: 'messageSaved', message: result });
    }
    this.store.dispatch({ type: 'pendingRemoved', conversationId, clientId });
  }

  /** A refusal the panel shows as the conversation's state (the window closed, the customer opted out); false for any other. */
  private refused(conversationId: string, error: RelayError): boolean {
    if (error.code === 'window_expired') this.store.dispatch({ type: 'windowExpired', conversationId, now: Date.now() });
    else if (error.code === 'opted_out') this.store.dispatch({ type: 'optedOut', conversationId });
    else return false;
    return true;
  }

  // ---- transcripts --------------------------------------------------------------------

  /**
   * Offers pending when the panel opened (a form opened, the page reloaded) came in the sign-in
   * list, not as an `offer` event with the customer's message: it is read from the transcript's
   * newest page (the offered agent may read it), so the card says what the customer wrote.
   */
  private async loadOfferMessages(relay: RelayClient): Promise<void> {
    const waiting = this.store.state.offers.filter((o) => !o.firstMessage);
    await Promise.all(
      waiting.map(async ({ conversation }) => {
        try {
          const page = await relay.listMessages(conversation.id, { limit: OFFER_MESSAGE_PAGE });
          const message = page.items.filter((m) => m.direction === 'inbound').at(-1);
          if (message && relay === this.connected) this.store.dispatch({ type: 'offerMessage', message });
        } catch {
          // The card still offers the conversation; accepting it loads the transcript (and says so if that fails).
        }
      }),
    );
  }

  /** The selected conversation's first page loads once, when it is first selected (or again after it failed). */
  private loadSelectedTranscript(): void {
    const { selectedId, transcripts } = this.store.state;
    if (selectedId && !transcripts.has(selectedId)) void this.loadPage(selectedId, true);
  }

  async loadOlder(conversationId: string): Promise<void> {
    const transcript = this.store.state.transcripts.get(conversationId);
    if (!transcript?.next || transcript.loadingOlder) return;
    await this.loadPage(conversationId, false, transcript.next);
  }

  private async loadPage(conversationId: string, first: boolean, before?: string): Promise<void> {
    const relay = this.connected;
    if (!relay) return;
    this.store.dispatch({ type: 'pageLoading', conversationId, first });
    try {
      const page = await relay.listMessages(conversationId, before ? { before } : undefined);
      this.store.dispatch({ type: 'pageLoaded', conversationId, page });
    } catch (error) {
      this.store.dispatch({ type: 'pageFailed', conversationId, first });
      this.notify(first ? msg(str`The transcript could not be loaded: ${messageOf(error)}`) : msg(str`Older messages could not be loaded: ${messageOf(error)}`));
    }
  }

  // ---- what the agent does ------------------------------------------------------------

  /** Resolves true when the conversation is now the agent's (and selected). */
  async accept(conversationId: string): Promise<boolean> {
    const relay = this.connected;
    if (!relay) return false;
    return this.answer(conversationId, async () => {
      try {
        const accepted = await relay.acceptOffer(conversationId);
        this.store.dispatch({ type: 'offerAccepted', conversation: accepted });
        void this.linkKnownContact(relay, accepted);
        return true;
      } catch (error) {
        this.dropGoneOffer(conversationId, error);
        this.notify(msg(str`The conversation could not be accepted: ${messageOf(error)}`));
        return false;
      }
    });
  }

  /**
   * A customer the CRM knows (one contact with this number: the authenticated case) gets the
   * conversation linked to that contact on accept, as Omnichannel does; the agent can change or
   * remove the link, and the CRM record's "regarding" follows it.
   */
  private async linkKnownContact(relay: RelayClient, conversation: Conversation): Promise<void> {
    const contact = contactFor(this.store.state, conversation);
    if (conversation.linkedRecord || !contact) return;
    try {
      const linked = await relay.linkRecord(conversation.id, { entityType: 'contact', id: contact.id, name: contact.fullName });
      this.store.dispatch({ type: 'conversation', conversation: linked });
      this.options.linkedOnAccept?.(linked);
    } catch (error) {
      this.notify(msg(str`The conversation could not be linked to ${contact.fullName}: ${messageOf(error)}`));
    }
  }

  async reject(conversationId: string): Promise<void> {
    const relay = this.connected;
    if (!relay) return;
    await this.answer(conversationId, async () => {
      try {
        await relay.rejectOffer(conversationId);
        this.store.dispatch({ type: 'offerGone', conversationId });
      } catch (error) {
        // Gone already: nothing is left to reject, and the card must not stay to be answered again.
        if (this.dropGoneOffer(conversationId, error)) this.notify(msg('This conversation is no longer offered to you.'));
        else this.notify(msg(str`The conversation could not be rejected: ${messageOf(error)}`));
      }
    });
  }

  /**
   * The relay refused an answer to an offer because the offer is gone (a colleague took it, it
   * expired, a supervisor moved it: 409; or the conversation is no longer the agent's to see:
   * 404): the card goes. True when it went; a network error or a 5xx leaves it to answer again.
   */
  private dropGoneOffer(conversationId: string, error: unknown): boolean {
    const gone = error instanceof RelayError && (error.status === 409 || error.status === 404);
    if (gone) this.store.dispatch({ type: 'offerGone', conversationId });
    return gone;
  }

  private async answer<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    this.store.dispatch({ type: 'answering', conversationId, busy: true });
    try {
      return await work();
    } finally {
      this.store.dispatch({ type: 'answering', conversationId, busy: false });
    }
  }

  /**
   * The composer's send. Outside the 24-hour window only templates may go out: the draft stays
   * and the alert says why. `attachmentUploaded` runs once the relay has the file.
   */
  async sendMessage(event: SendMessageEvent, attachmentUploaded: () => void): Promise<void> {
    const conversation = selectedConversation(this.store.state);
    const relay = this.connected;
    if (!conversation || !relay) return;
    const conversationId = conversation.id;
    this.store.dispatch({ type: 'composer', error: '' });
    if (isReplyWindowClosed(this.store.state, conversation, Date.now())) {
      this.store.dispatch({ type: 'freeFormRefused', conversationId });
      return;
    }
    const draft = this.store.state.drafts.get(conversationId) ?? '';
    let mediaId: string | undefined;
    if (event.file) {
      this.store.dispatch({ type: 'composer', busy: true });
      this.store.dispatch({ type: 'uploadProgress', progress: 0 });
      try {
        mediaId = (await relay.uploadMedia(event.file, (progress) => this.store.dispatch({ type: 'uploadProgress', progress }))).id;
        attachmentUploaded();
      } catch (error) {
        this.store.dispatch({ type: 'composer', error: msg(str`The attachment could not be uploaded: ${messageOf(error)}`) });
        return;
      } finally {
        this.store.dispatch({ type: 'composer', busy: false });
        this.store.dispatch({ type: 'uploadProgress', progress: null });
      }
    }
    const request: SendMessageRequest & { clientId: string } = { clientId: globalThis.crypto.randomUUID() };
    if (event.body) request.body = event.body;
    if (event.buttons.length > 0) request.buttons = [...event.buttons];
    if (mediaId) request.mediaId = mediaId;
    if (event.replyToMessageId) request.replyToMessageId = event.replyToMessageId;
    this.store.dispatch({ type: 'draft', conversationId, draft: '' });
    this.store.dispatch({ type: 'replyTo', conversationId, message: null });
    await this.send(conversationId, request, () => this.store.dispatch({ type: 'draftRestored', conversationId, text: draft }));
  }

  /** Resolves true when the relay took the template. */
  async sendTemplate(event: SendTemplateEvent): Promise<boolean> {
    const conversationId = this.store.state.selectedId;
    if (!conversationId) return false;
    this.store.dispatch({ type: 'picker', busy: true, error: '' });
    const template = { contentSid: event.contentSid, variables: event.variables };
    const sent = await this.send(conversationId, { clientId: globalThis.crypto.randomUUID(), template }, (error) => {
      // Opted out: the picker's notice says why, as the composer's does.
      if (error.code !== 'opted_out') this.store.dispatch({ type: 'picker', error: error.message });
    });
    this.store.dispatch({ type: 'picker', busy: false });
    if (sent) this.store.dispatch({ type: 'templateSent', conversationId });
    return sent;
  }

  /** Sends through the relay's outbox, showing the message as pending until the relay has it. */
  private async send(conversationId: string, request: SendMessageRequest & { clientId: string }, onRefused: (error: RelayError) => void): Promise<boolean> {
    const relay = this.connected;
    if (!relay) return false;
    this.store.dispatch({ type: 'pendingAdded', item: { clientId: request.clientId, conversationId, request, queuedAt: new Date().toISOString() } });
    try {
      this.store.dispatch({ type: 'messageSaved', message: await relay.sendMessage(conversationId, request) });
      return true;
    } catch (error) {
      const relayError = error instanceof RelayError ? error : new RelayError(0, 'send_failed', messageOf(error));
      if (!this.refused(conversationId, relayError)) this.store.dispatch({ type: 'composer', error: msg(str`The message was not sent: ${relayError.message}`) });
      onRefused(relayError);
      return false;
    } finally {
      this.store.dispatch({ type: 'pendingRemoved', conversationId, clientId: request.clientId });
    }
  }

  async retry(messageId: string): Promise<void> {
    const conversationId = this.store.state.selectedId;
    const relay = this.connected;
    if (!conversationId || !relay) return;
    const before = this.store.state.transcripts.get(conversationId)?.items.find((m) => m.id === messageId);
    this.store.dispatch({ type: 'retrying', conversationId, messageId });
    try {
      this.store.dispatch({ type: 'messageSaved', message: await relay.retryMessage(conversationId, messageId) });
    } catch (error) {
      if (before) {
        const { status, errorCode, errorMessage } = before;
        this.store.dispatch({ type: 'messageRestored', conversationId, messageId, status: { status, errorCode, errorMessage } });
      }
      this.notify(msg(str`The message could not be retried: ${messageOf(error)}`));
    }
  }

  /** True when the relay made the change. */
  async setState(state: ConversationState, wrapUp: WrapUp | null = null): Promise<boolean> {
    const conversationId = this.store.state.selectedId;
    const relay = this.connected;
    if (!conversationId || !relay) return false;
    this.store.dispatch({ type: 'stateBusy', busy: true });
    try {
      this.store.dispatch({ type: 'conversation', conversation: await relay.setState(conversationId, state, wrapUp) });
      return true;
    } catch (error) {
      this.notify(msg(str`The state could not be changed: ${messageOf(error)}`));
      return false;
    } finally {
      this.store.dispatch({ type: 'stateBusy', busy: false });
    }
  }

  async setPresence(presence: Presence): Promise<void> {
    const relay = this.connected;
    if (!relay) return;
    try {
      this.store.dispatch({ type: 'agent', agent: await relay.setPresence(presence) });
    } catch (error) {
      this.notify(msg(str`Presence could not be changed: ${messageOf(error)}`));
    }
  }

  /**
   * The bytes of a media item, fetched with the token, shown from a blob: URL; '' when they could
   * not be loaded. A failure is not kept for good: asked again (the bubble's "Try again"), it is
   * forgotten — "Loading…" again — and fetched again.
   */
  async loadMedia(url: string): Promise<void> {
    const relay = this.connected;
    const known = this.store.state.mediaUrls.get(url);
    if (!relay || known || this.mediaInFlight.has(url)) return;
    this.mediaInFlight.add(url);
    if (known === '') this.store.dispatch({ type: 'mediaForgotten', url });
    try {
      const blob = await relay.fetchMedia(url);
      if (relay !== this.connected) return;
      this.store.dispatch({ type: 'mediaLoaded', url, objectUrl: URL.createObjectURL(inertMediaBlob(blob)) });
    } catch {
      this.store.dispatch({ type: 'mediaLoaded', url, objectUrl: '' });
    } finally {
      this.mediaInFlight.delete(url);
    }
  }

  /**
   * The relay's templates, read each time the picker opens: one WhatsApp approved since the last
   * opening becomes sendable, a new one appears (the relay caches Twilio's list for 5 minutes, so
   * this costs Twilio nothing). The list held meanwhile stays on screen; when the read fails it
   * stays, marked as possibly out of date.
   */
  async loadTemplates(): Promise<void> {
    this.store.dispatch({ type: 'picker', error: '' });
    const relay = this.connected;
    if (!relay) return;
    try {
      const list = await relay.templates();
      this.store.dispatch({ type: 'templates', templates: list.items, stale: list.stale });
    } catch (error) {
      const held = this.store.state.templates;
      if (held && held.length > 0) {
        this.store.dispatch({ type: 'templates', templates: held, stale: true });
        return;
      }
      this.store.dispatch({ type: 'templates', templates: [] });
      const unavailable = error instanceof RelayError && error.code === 'templates_unavailable';
      this.store.dispatch({
        type: 'picker',
        error: unavailable
          ? msg('Templates cannot be loaded right now because Twilio is not answering. Try again in a few minutes.')
          : msg(str`Templates could not be loaded: ${messageOf(error)}`),
      });
    }
  }

  /** The agent is typing: the relay hears of it at most once per 20 s per conversation; a failure never bothers the agent. */
  typing(conversationId: string): void {
    const relay = this.connected;
    if (!relay || !this.typingThrottle.take(conversationId, Date.now())) return;
    relay.typing(conversationId).catch(() => undefined);
  }

  private notify(text: string): void {
    this.store.dispatch({ type: 'notice', text });
  }
}
