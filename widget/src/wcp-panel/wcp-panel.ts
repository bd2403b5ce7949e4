import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Agent, Conversation, Message, MessageTemplate, QuickReply, RelayEvent, SendMessageRequest } from '@wcp/protocol';
import type { CrmContact, CrmPort } from '../ports/crm-port.js';
import type { ConnectionState, OutboxItem, RelayClient } from '../relay/relay-client.js';
import { RelayError } from '../relay/relay-error.js';
import type { AcceptOfferEvent } from '../events/accept-offer-event.js';
import type { ChangePresenceEvent } from '../events/change-presence-event.js';
import type { ChangeStateEvent } from '../events/change-state-event.js';
import type { DraftChangeEvent } from '../events/draft-change-event.js';
import type { MediaRequestEvent } from '../events/media-request-event.js';
import type { RejectOfferEvent } from '../events/reject-offer-event.js';
import type { ReplyToEvent } from '../events/reply-to-event.js';
import type { RetryMessageEvent } from '../events/retry-message-event.js';
import type { SelectConversationEvent } from '../events/select-conversation-event.js';
import type { SendMessageEvent } from '../events/send-message-event.js';
import type { SendTemplateEvent } from '../events/send-template-event.js';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from '../lib/attachment.js';
import { toE164 } from '../lib/phone.js';
import type { PlaceholderContext } from '../lib/placeholders.js';
import { RelayClock } from '../lib/relay-clock.js';
import { themeOverrides, tokens } from '../styles/tokens.styles.js';
import type { WcpComposer } from '../wcp-composer/wcp-composer.js';
import type { SessionSummary } from '../wcp-session-tabs/wcp-session-tabs.js';
import type { WcpTemplatePicker } from '../wcp-template-picker/wcp-template-picker.js';
import { isWindowClosed } from '../wcp-window-banner/wcp-window-banner.js';
import '../wcp-composer/wcp-composer.js';
import '../wcp-incoming/wcp-incoming.js';
import '../wcp-presence/wcp-presence.js';
import '../wcp-session-tabs/wcp-session-tabs.js';
import '../wcp-state-control/wcp-state-control.js';
import '../wcp-template-picker/wcp-template-picker.js';
import '../wcp-thread/wcp-thread.js';
import '../wcp-window-banner/wcp-window-banner.js';
import { SidePaneController } from './side-controller.js';
import { TranscriptController } from './transcript-controller.js';
import { styles } from './wcp-panel.styles.js';

/** The CRM record the form shows; its fields fill {record.<field>} placeholders. */
export interface FormRecord {
  entityType: string;
  id: string;
  name: string;
  fields?: Record<string, string>;
}

interface Offered {
  conversation: Conversation;
  firstMessage: Message | null;
}

const STREAM_WAIT_MS = 3000;
const HTTP_CLOCK_TOLERANCE_MS = 5000;
const ACTIVE_STATES = new Set<Conversation['state']>(['open', 'active', 'waiting', 'wrapup']);

const with_ = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V) => new Map(map).set(key, value);
const without = <K, V>(map: ReadonlyMap<K, V>, key: K) => {
  const copy = new Map(map);
  copy.delete(key);
  return copy;
};

/**
 * The WhatsApp communication panel: the root and only mediator. It owns the relay client
 * and the CRM port it is given, keeps the agent's offers and sessions, passes them down as
 * properties and answers the children's events. `TranscriptController` keeps each
 * conversation's messages (loaded pages, pending sends, unread counts).
 *
 * The side pane (`<wcp-side-pane>`: summary, notes, records, knowledge, scripts, search,
 * assist) sits beside the conversation, or below it when narrow; `SidePaneController`
 * answers its events.
 *
 * Theme: the `--wcp-*` custom properties below inherit into every part of the panel. Unset,
 * they have light and dark defaults, chosen by `theme="light"`/`"dark"` or else the OS scheme.
 *
 * @csspart panel - the outer layout
 * @cssprop --wcp-font-family - font stack (Segoe UI by default)
 * @cssprop --wcp-color-brand - brand colour (#0f6cbd): primary buttons, selection, focus ring
 * @cssprop --wcp-color-brand-hover - primary buttons on hover
 * @cssprop --wcp-color-on-brand - text on the brand colour
 * @cssprop --wcp-color-surface - background
 * @cssprop --wcp-color-surface-alt - secondary background (hover, chips, quoted messages)
 * @cssprop --wcp-color-text - text colour
 * @cssprop --wcp-color-text-subtle - secondary text (times, labels)
 * @cssprop --wcp-color-border - borders
 * @cssprop --wcp-color-danger - errors and the closed reply window
 * @cssprop --wcp-color-danger-surface - background of error alerts
 * @cssprop --wcp-color-warning - warnings (the reply window's last hour)
 * @cssprop --wcp-color-warning-surface - background of warnings
 * @cssprop --wcp-color-success - success marks ("Authenticated")
 * @cssprop --wcp-color-bubble-inbound - customer message bubbles
 * @cssprop --wcp-color-bubble-outbound - agent message bubbles
 * @cssprop --wcp-color-read - the read ticks
 * @cssprop --wcp-color-highlight - marked words in transcript search hits
 * @cssprop --wcp-color-sentiment-negative - negative sentiment labels (the danger colour by default)
 * @cssprop --wcp-color-sentiment-positive - positive sentiment labels (the success colour by default)
 * @cssprop --wcp-radius - corner radius (4px)
 */
@customElement('wcp-panel')
export class WcpPanel extends LitElement {
  static override styles = [tokens, themeOverrides, styles];

  @property({ attribute: false }) relay: RelayClient | null = null;
  @property({ attribute: false }) crm: CrmPort | null = null;
  /** The form's bound phone (E.164 or as typed); its conversation is selected first. */
  @property() phone = '';
  @property({ attribute: false }) record: FormRecord | null = null;
  @property({ attribute: 'template-language' }) templateLanguage = '';
  @property({ reflect: true }) theme: 'light' | 'dark' | undefined = undefined;
  @property({ type: Number, attribute: 'max-attachment-bytes' }) maxAttachmentBytes = DEFAULT_MAX_ATTACHMENT_BYTES;

  @state() private agent: Agent | null = null;
  @state() private connection: ConnectionState = 'idle';
  @state() private offers: readonly Offered[] = [];
  @state() private answering: ReadonlySet<string> = new Set();
  @state() private sessions: readonly Conversation[] = [];
  @state() private selectedId: string | null = null;
  @state() private drafts: ReadonlyMap<string, string> = new Map();
  @state() private replyTo: ReadonlyMap<string, Message> = new Map();
  @state() private expiredAttempts: ReadonlySet<string> = new Set();
  @state() private mediaUrls: ReadonlyMap<string, string> = new Map();
  @state() private contacts: ReadonlyMap<string, CrmContact | null> = new Map();
  @state() private quickReplies: readonly QuickReply[] = [];
  @state() private templates: readonly MessageTemplate[] | null = null;
  @state() private composerBusy = false;
  @state() private composerError = '';
  @state() private pickerBusy = false;
  @state() private pickerError = '';
  @state() private stateBusy = false;
  @state() private notice = '';
  /** Windows and offers count down on the relay's clock (learnt from `window` events' `serverTime`). */
  @state() private clock = new RelayClock();

  @query('wcp-composer') private composer?: WcpComposer;
  @query('wcp-template-picker') private picker?: WcpTemplatePicker;

  private unsubscribe: (() => void) | null = null;
  private connectedRelay: RelayClient | null = null;
  private readonly mediaInFlight = new Set<string>();
  private readonly side = new SidePaneController(this, {
    relay: () => this.relay,
    crm: () => this.crm,
    insertText: (text) => this.composer?.insertText(text),
    showConversation: (id) => {
      if (!this.sessions.some((s) => s.id === id)) return false;
      this.select(id);
      return true;
    },
    updateConversation: (conversation) => this.trackConversation(conversation),
  });
  private readonly transcripts = new TranscriptController(this, {
    relay: () => this.relay,
    agentId: () => this.agent?.id ?? null,
    notify: (text) => (this.notice = text),
  });

  /** Closes the event stream and frees media; for the host's teardown (pcf `destroy`). */
  disconnect(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.connectedRelay = null;
    for (const url of this.mediaUrls.values()) if (url) URL.revokeObjectURL(url);
    this.mediaUrls = new Map();
    this.mediaInFlight.clear();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.relay && !this.connectedRelay) void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.disconnect();
  }

  protected override willUpdate(): void {
    this.side.show(this.selected);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('relay') && this.relay !== this.connectedRelay && this.isConnected) {
      this.disconnect();
      if (this.relay) void this.start();
    }
    if (changed.has('phone')) this.selectFormConversation();
  }

  private async start(): Promise<void> {
    const relay = this.relay;
    if (!relay) return;
    this.connectedRelay = relay;
    this.side.reset();
    let streamOpen: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => (streamOpen = resolve));
    this.unsubscribe = relay.subscribe(
      (event) => this.onRelayEvent(event),
      (connection) => {
        this.connection = connection;
        if (connection === 'open') streamOpen();
      },
      (item, error) => this.onOutboxFailure(item, error),
    );
    // Stream first, then REST (docs/agent-api.md), so no event falls between the two; a stream
    // that does not open soon must not keep the agent from their conversations.
    await Promise.race([opened, new Promise((resolve) => setTimeout(resolve, STREAM_WAIT_MS))]);
    if (relay !== this.connectedRelay) return;
    try {
      const [agent, conversations, queued] = await Promise.all([relay.me(), relay.listConversations(), relay.pendingSends()]);
      if (relay !== this.connectedRelay) return;
      this.agent = agent;
      this.learnClockFromRelay(relay);
      for (const conversation of conversations) this.trackConversation(conversation);
      for (const item of queued) this.transcripts.addPending(item);
      this.selectFormConversation();
      if (!this.selectedId && this.sessions[0]) this.select(this.sessions[0].id);
    } catch (error) {
      this.notice = `The relay could not be reached: ${messageOf(error)}`;
    }
    relay.quickReplies().then(
      (replies) => (this.quickReplies = replies),
      () => undefined, // quick replies are optional; "/" then lists none
    );
    void this.side.start(relay);
  }

  // ---- relay events -------------------------------------------------------------------

  private onRelayEvent(event: RelayEvent): void {
    switch (event.type) {
      case 'offer':
        this.addOffer(event.data.conversation, event.data.firstMessage);
        break;
      case 'offer_withdrawn':
        this.offers = this.offers.filter((o) => o.conversation.id !== event.data.conversationId);
        break;
      case 'message':
        this.receiveMessage(event.data.message);
        break;
      case 'status': {
        const { conversationId, messageId, status, errorCode, errorMessage } = event.data;
        this.transcripts.applyStatus(conversationId, messageId, { status, errorCode, errorMessage });
        break;
      }
      case 'state':
        this.trackConversation(event.data.conversation);
        break;
      case 'window':
        if (event.data.serverTime) this.clock = RelayClock.fromServerTime(event.data.serverTime);
        this.patchConversation(event.data.conversationId, (c) => ({ ...c, windowExpiresAt: event.data.windowExpiresAt }));
        if (!isWindowClosed(event.data.windowExpiresAt, this.clock.now())) this.expiredAttempts = setWithout(this.expiredAttempts, event.data.conversationId);
        break;
      case 'presence':
        if (this.agent && event.data.agentId === this.agent.id) this.agent = { ...this.agent, presence: event.data.presence };
        break;
      case 'note':
        this.side.onRelayEvent(event);
        break;
    }
  }

  /** Puts a conversation where it belongs: an offer, a session, or gone when closed. */
  private trackConversation(conversation: Conversation): void {
    const isOffer = conversation.state === 'open' && !!conversation.offer && !conversation.assignedAgentId;
    if (isOffer) {
      this.addOffer(conversation, null);
      return;
    }
    this.offers = this.offers.filter((o) => o.conversation.id !== conversation.id);
    const known = this.sessions.some((s) => s.id === conversation.id);
    const mine = !this.agent || conversation.assignedAgentId === this.agent.id;
    if (!ACTIVE_STATES.has(conversation.state) || !mine) {
      if (known) this.removeSession(conversation.id);
      return;
    }
    this.sessions = known ? this.sessions.map((s) => (s.id === conversation.id ? conversation : s)) : [...this.sessions, conversation];
    void this.lookUpContact(conversation.customer.phone);
  }

  /**
   * Until a `window` event brings `serverTime`, the relay client's guess (the `ready` frame's
   * `serverTime`, else the HTTP Date header, to the second) sets the clock; small differences are noise.
   */
  private learnClockFromRelay(relay: RelayClient): void {
    const offset = relay.serverClockOffsetMs();
    if (this.clock.offsetMs === 0 && offset !== null && Math.abs(offset) > HTTP_CLOCK_TOLERANCE_MS) this.clock = new RelayClock(offset);
  }

  private addOffer(conversation: Conversation, firstMessage: Message | null): void {
    if (this.sessions.some((s) => s.id === conversation.id)) return;
    const existing = this.offers.find((o) => o.conversation.id === conversation.id);
    const offer = { conversation, firstMessage: firstMessage ?? existing?.firstMessage ?? null };
    this.offers = existing ? this.offers.map((o) => (o === existing ? offer : o)) : [...this.offers, offer];
    void this.lookUpContact(conversation.customer.phone);
  }

  private receiveMessage(message: Message): void {
    const id = message.conversationId;
    const offer = this.offers.find((o) => o.conversation.id === id);
    if (offer && !offer.firstMessage && message.direction === 'inbound') {
      this.offers = this.offers.map((o) => (o === offer ? { ...o, firstMessage: message } : o));
    }
    this.transcripts.receive(message, id !== this.selectedId && this.sessions.some((s) => s.id === id));
  }

  private onOutboxFailure(item: OutboxItem, error: RelayError): void {
    this.transcripts.removePending(item.conversationId, item.clientId);
    if (error.code === 'window_expired') this.markWindowExpired(item.conversationId);
    this.notice = `A message written offline was not sent: ${error.message}`;
  }

  // ---- sessions and selection ---------------------------------------------------------

  private selectFormConversation(): void {
    const phone = toE164(this.phone);
    if (!phone) return;
    const match = this.sessions.find((s) => s.customer.phone === phone);
    if (match && this.selectedId !== match.id) this.select(match.id);
  }

  private select(conversationId: string): void {
    this.selectedId = conversationId;
    this.transcripts.open(conversationId);
  }

  private patchConversation(conversationId: string, patch: (c: Conversation) => Conversation): void {
    this.sessions = this.sessions.map((s) => (s.id === conversationId ? patch(s) : s));
  }

  private removeSession(conversationId: string): void {
    this.sessions = this.sessions.filter((s) => s.id !== conversationId);
    this.transcripts.unload(conversationId);
    if (this.selectedId === conversationId) {
      this.selectedId = null;
      if (this.sessions[0]) this.select(this.sessions[0].id);
    }
  }

  // ---- CRM ----------------------------------------------------------------------------

  private async lookUpContact(phone: string): Promise<void> {
    if (!this.crm || this.contacts.has(phone)) return;
    this.contacts = with_(this.contacts, phone, null);
    try {
      const matches = await this.crm.findContactsByPhone(phone);
      // Exactly one match authenticates the customer; none or several stay unknown.
      this.contacts = with_(this.contacts, phone, matches.length === 1 ? matches[0]! : null);
    } catch {
      this.contacts = without(this.contacts, phone);
    }
  }

  private contactFor(conversation: Conversation): CrmContact | null {
    return this.contacts.get(conversation.customer.phone) ?? null;
  }

  private placeholderContext(conversation: Conversation | undefined): PlaceholderContext {
    const contact = conversation ? this.contactFor(conversation) : null;
    const record: Record<string, string> = { ...contact?.fields };
    if (contact) {
      Object.assign(record, dropEmpty({ fullname: contact.fullName, firstname: contact.firstName, lastname: contact.lastName, emailaddress1: contact.email, address1_city: contact.city }));
    }
    if (this.record) Object.assign(record, { name: this.record.name }, this.record.fields);
    return {
      customerName: (contact?.fullName ?? conversation?.customer.profileName ?? conversation?.customer.phone) || '',
      agentName: this.agent?.name ?? '',
      record,
    };
  }

  // ---- child events -------------------------------------------------------------------

  private async onAccept(event: AcceptOfferEvent): Promise<void> {
    const relay = this.relay;
    if (!relay) return;
    const id = event.conversationId;
    this.answering = new Set(this.answering).add(id);
    try {
      const conversation = await relay.acceptOffer(id);
      this.offers = this.offers.filter((o) => o.conversation.id !== id);
      this.trackConversation(conversation);
      this.select(id);
      await this.updateComplete;
      this.composer?.focus();
    } catch (error) {
      if (error instanceof RelayError && error.status === 409) this.offers = this.offers.filter((o) => o.conversation.id !== id);
      this.notice = `The conversation could not be accepted: ${messageOf(error)}`;
    } finally {
      this.answering = setWithout(this.answering, id);
    }
  }

  private async onReject(event: RejectOfferEvent): Promise<void> {
    const id = event.conversationId;
    this.answering = new Set(this.answering).add(id);
    try {
      await this.relay?.rejectOffer(id);
      this.offers = this.offers.filter((o) => o.conversation.id !== id);
    } catch (error) {
      this.notice = `The conversation could not be rejected: ${messageOf(error)}`;
    } finally {
      this.answering = setWithout(this.answering, id);
    }
  }

  private async onSend(event: SendMessageEvent): Promise<void> {
    const conversation = this.selected;
    const relay = this.relay;
    if (!conversation || !relay) return;
    const id = conversation.id;
    this.composerError = '';
    if (isWindowClosed(conversation.windowExpiresAt, this.clock.now())) {
      // Outside the 24-hour window only templates may go out: keep the draft, say why.
      this.expiredAttempts = new Set(this.expiredAttempts).add(id);
      return;
    }
    const draft = this.drafts.get(id) ?? '';
    let mediaId: string | undefined;
    if (event.file) {
      this.composerBusy = true;
      try {
        mediaId = (await relay.uploadMedia(event.file)).id;
        this.composer?.clearAttachment();
      } catch (error) {
        this.composerError = `The attachment could not be uploaded: ${messageOf(error)}`;
        return;
      } finally {
        this.composerBusy = false;
      }
    }
    const request: SendMessageRequest & { clientId: string } = { clientId: globalThis.crypto.randomUUID() };
    if (event.body) request.body = event.body;
    if (mediaId) request.mediaId = mediaId;
    if (event.replyToMessageId) request.replyToMessageId = event.replyToMessageId;
    this.drafts = with_(this.drafts, id, '');
    this.replyTo = without(this.replyTo, id);
    await this.send(id, request, () => (this.drafts = with_(this.drafts, id, draft)));
  }

  private async onSendTemplate(event: SendTemplateEvent): Promise<void> {
    const id = this.selectedId;
    if (!id) return;
    this.pickerBusy = true;
    this.pickerError = '';
    const sent = await this.send(id, { clientId: globalThis.crypto.randomUUID(), template: { contentSid: event.contentSid, variables: event.variables } }, (error) => {
      this.pickerError = error.message;
    });
    this.pickerBusy = false;
    if (sent) {
      this.expiredAttempts = setWithout(this.expiredAttempts, id);
      this.picker?.close();
    }
  }

  /** Sends through the relay's outbox, showing the message as pending until the relay has it. */
  private async send(conversationId: string, request: SendMessageRequest & { clientId: string }, onRefused: (error: RelayError) => void): Promise<boolean> {
    const relay = this.relay;
    if (!relay) return false;
    this.transcripts.addPending({ clientId: request.clientId, conversationId, request, queuedAt: new Date().toISOString() });
    try {
      const message = await relay.sendMessage(conversationId, request);
      this.transcripts.upsertMessage(message);
      return true;
    } catch (error) {
      const relayError = error instanceof RelayError ? error : new RelayError(0, 'send_failed', messageOf(error));
      if (relayError.code === 'window_expired') this.markWindowExpired(conversationId);
      else this.composerError = `The message was not sent: ${relayError.message}`;
      onRefused(relayError);
      return false;
    } finally {
      this.transcripts.removePending(conversationId, request.clientId);
    }
  }

  /** The relay's clock (or WhatsApp's, error 63016) says the window is closed: believe it over ours. */
  private markWindowExpired(conversationId: string): void {
    const now = new Date(this.clock.now()).toISOString();
    this.patchConversation(conversationId, (c) => (isWindowClosed(c.windowExpiresAt, this.clock.now()) ? c : { ...c, windowExpiresAt: now }));
    this.expiredAttempts = new Set(this.expiredAttempts).add(conversationId);
  }

  private async onRetry(event: RetryMessageEvent): Promise<void> {
    const id = this.selectedId;
    if (!id || !this.relay) return;
    const restore = this.transcripts.resetForRetry(id, event.messageId);
    try {
      this.transcripts.upsertMessage(await this.relay.retryMessage(id, event.messageId));
    } catch (error) {
      restore();
      this.notice = `The message could not be retried: ${messageOf(error)}`;
    }
  }

  private async onChangeState(event: ChangeStateEvent): Promise<void> {
    const id = this.selectedId;
    if (!id || !this.relay) return;
    this.stateBusy = true;
    try {
      this.trackConversation(await this.relay.setState(id, event.state));
    } catch (error) {
      this.notice = `The state could not be changed: ${messageOf(error)}`;
    } finally {
      this.stateBusy = false;
    }
  }

  private async onChangePresence(event: ChangePresenceEvent): Promise<void> {
    if (!this.relay) return;
    try {
      this.agent = await this.relay.setPresence(event.presence);
    } catch (error) {
      this.notice = `Presence could not be changed: ${messageOf(error)}`;
    }
  }

  private async onMediaRequest(event: MediaRequestEvent): Promise<void> {
    const { url } = event.media;
    const relay = this.relay;
    if (!relay || this.mediaUrls.has(url) || this.mediaInFlight.has(url)) return;
    this.mediaInFlight.add(url);
    try {
      const blob = await relay.fetchMedia(url);
      if (relay !== this.connectedRelay) return;
      this.mediaUrls = with_(this.mediaUrls, url, URL.createObjectURL(blob));
    } catch {
      this.mediaUrls = with_(this.mediaUrls, url, '');
    } finally {
      this.mediaInFlight.delete(url);
    }
  }

  private async openTemplates(): Promise<void> {
    this.pickerError = '';
    this.picker?.show();
    if (this.templates !== null || !this.relay) return;
    try {
      this.templates = await this.relay.templates();
    } catch (error) {
      this.templates = [];
      this.pickerError = `Templates could not be loaded: ${messageOf(error)}`;
    }
  }

  // ---- render -------------------------------------------------------------------------

  private get selected(): Conversation | undefined {
    return this.sessions.find((s) => s.id === this.selectedId);
  }

  private displayName(conversation: Conversation): string {
    return this.contactFor(conversation)?.fullName ?? conversation.customer.profileName ?? conversation.customer.phone;
  }

  override render() {
    const selected = this.selected;
    const summaries: SessionSummary[] = this.sessions.map((s) => ({
      conversationId: s.id,
      title: this.displayName(s),
      state: s.state,
      unread: this.transcripts.unreadCount(s.id),
      windowExpiresAt: this.clock.toLocal(s.windowExpiresAt),
    }));
    return html`<div class="panel" part="panel">
      <header>
        <h1>WhatsApp</h1>
        ${this.connection === 'reconnecting'
          ? html`<span class="connection" role="status">Reconnecting… messages you send now go out when the connection is back.</span>`
          : nothing}
        ${this.agent
          ? html`<wcp-presence .presence=${this.agent.presence} @wcp-change-presence=${this.onChangePresence}></wcp-presence>`
          : nothing}
      </header>
      ${this.notice
        ? html`<p class="notice" role="alert">${this.notice}<button @click=${() => (this.notice = '')}>Dismiss</button></p>`
        : nothing}
      <div class="offers" @wcp-accept-offer=${this.onAccept} @wcp-reject-offer=${this.onReject}>${this.offers.map(
        (offer) => html`<wcp-incoming
          .conversation=${this.clock.offerToLocal(offer.conversation)}
          .firstMessage=${offer.firstMessage}
          .contact=${this.contactFor(offer.conversation)}
          ?busy=${this.answering.has(offer.conversation.id)}
        ></wcp-incoming>`,
      )}</div>
      ${summaries.length > 0
        ? html`<wcp-session-tabs
            .sessions=${summaries}
            .selectedId=${this.selectedId}
            @wcp-select-conversation=${(e: SelectConversationEvent) => this.select(e.conversationId)}
          ></wcp-session-tabs>`
        : nothing}
      <div class="body">
        ${selected ? this.renderConversation(selected) : html`<p class="empty">No active conversations. New WhatsApp conversations appear here.</p>`}
        ${selected
          ? html`<aside class="side" aria-label="Customer details">
              ${this.side.render({
                conversation: selected,
                contact: this.contactFor(selected),
                messages: this.transcripts.loaded(selected.id),
                quickReplies: this.quickReplies,
              })}
            </aside>`
          : nothing}
      </div>
      <wcp-template-picker
        .templates=${this.templates}
        .placeholderContext=${this.placeholderContext(selected)}
        .language=${this.templateLanguage}
        ?busy=${this.pickerBusy}
        .error=${this.pickerError}
        @wcp-send-template=${this.onSendTemplate}
      ></wcp-template-picker>
    </div>`;
  }

  private renderConversation(conversation: Conversation) {
    const id = conversation.id;
    const contact = this.contactFor(conversation);
    const thread = this.transcripts.thread(id);
    return html`<section class="conversation" aria-label=${`Conversation with ${this.displayName(conversation)}`}>
      <div class="conversation-header">
        <h2>
          ${this.displayName(conversation)}
          ${contact ? html`<span class="authenticated">Authenticated</span>` : nothing}
          <small>${conversation.customer.phone}</small>
        </h2>
        <wcp-state-control .state=${conversation.state} ?busy=${this.stateBusy} @wcp-change-state=${this.onChangeState}></wcp-state-control>
      </div>
      <wcp-window-banner
        .windowExpiresAt=${this.clock.toLocal(conversation.windowExpiresAt)}
        ?expired-attempt=${this.expiredAttempts.has(id)}
        @wcp-open-templates=${this.openTemplates}
      ></wcp-window-banner>
      <wcp-thread
        .messages=${thread.messages}
        .mediaUrls=${this.mediaUrls}
        .hasOlder=${thread.hasOlder}
        .loadingOlder=${thread.loadingOlder}
        .customerName=${this.displayName(conversation)}
        @wcp-load-older=${() => this.selectedId && this.transcripts.loadOlder(this.selectedId)}
        @wcp-retry-message=${this.onRetry}
        @wcp-reply-to=${(e: ReplyToEvent) => {
          this.replyTo = with_(this.replyTo, id, e.message);
          this.composer?.focus();
        }}
        @wcp-media-request=${this.onMediaRequest}
      ></wcp-thread>
      <wcp-composer
        .draft=${this.drafts.get(id) ?? ''}
        .replyTo=${this.replyTo.get(id) ?? null}
        .quickReplies=${this.quickReplies}
        .placeholderContext=${this.placeholderContext(conversation)}
        .maxAttachmentBytes=${this.maxAttachmentBytes}
        ?disabled=${conversation.state === 'closed'}
        ?busy=${this.composerBusy}
        .error=${this.composerError}
        @wcp-draft-change=${(e: DraftChangeEvent) => (this.drafts = with_(this.drafts, id, e.draft))}
        @wcp-cancel-reply=${() => (this.replyTo = without(this.replyTo, id))}
        @wcp-send=${this.onSend}
        @wcp-open-templates=${this.openTemplates}
      ></wcp-composer>
    </section>`;
  }
}

function setWithout<T>(set: ReadonlySet<T>, value: T): Set<T> {
  const copy = new Set(set);
  copy.delete(value);
  return copy;
}

function dropEmpty(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => !!entry[1]));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-panel': WcpPanel;
  }
}
