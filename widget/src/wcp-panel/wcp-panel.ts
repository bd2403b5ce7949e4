import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Conversation } from '@wcp/protocol';
import type { CrmPort } from '../ports/crm-port.js';
import type { RelayClient } from '../relay/relay-client.js';
import type { AcceptOfferEvent } from '../events/accept-offer-event.js';
import type { ChangePresenceEvent } from '../events/change-presence-event.js';
import type { ChangeStateEvent } from '../events/change-state-event.js';
import type { CreateRecordEvent } from '../events/create-record-event.js';
import type { DraftChangeEvent } from '../events/draft-change-event.js';
import type { MediaRequestEvent } from '../events/media-request-event.js';
import type { RejectOfferEvent } from '../events/reject-offer-event.js';
import type { ReplyToEvent } from '../events/reply-to-event.js';
import type { RetryMessageEvent } from '../events/retry-message-event.js';
import type { SelectConversationEvent } from '../events/select-conversation-event.js';
import type { SendMessageEvent } from '../events/send-message-event.js';
import type { SendTemplateEvent } from '../events/send-template-event.js';
import type { WrapUpChangeEvent } from '../events/wrap-up-change-event.js';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from '../lib/attachment.js';
import {
  contactFor,
  createPanelStore,
  displayName,
  isConsulting,
  loadedMessages,
  messageAuthors,
  isReplyWindowClosed,
  placeholderContext,
  selectedConversation,
  sessionSummaries,
  threadOf,
  wrapUpOf,
  type FormRecord,
} from '../state/panel-store.js';
import { directionOf, panelLocale, useLocale } from '../i18n/locale.js';
import { noSessionsText } from '../lib/conversation-state.js';
import { mayWriteToCustomer } from '@wcp/protocol/states';
import { dispositionLabel } from '../lib/dispositions.js';
import { themeOverrides, tokens } from '../styles/tokens.styles.js';
import type { WcpComposer } from '../wcp-composer/wcp-composer.js';
import type { WcpConsultDialog } from '../wcp-consult-dialog/wcp-consult-dialog.js';
import type { WcpThread } from '../wcp-thread/wcp-thread.js';
import type { WcpTransferDialog } from '../wcp-transfer-dialog/wcp-transfer-dialog.js';
import type { WcpTemplatePicker } from '../wcp-template-picker/wcp-template-picker.js';
import '../wcp-composer/wcp-composer.js';
import '../wcp-incoming/wcp-incoming.js';
import '../wcp-presence/wcp-presence.js';
import '../wcp-queue-status/wcp-queue-status.js';
import '../wcp-session-tabs/wcp-session-tabs.js';
import '../wcp-state-control/wcp-state-control.js';
import '../wcp-template-picker/wcp-template-picker.js';
import '../wcp-thread/wcp-thread.js';
import '../wcp-window-banner/wcp-window-banner.js';
import { CrmController } from './crm-controller.js';
import { RelayController } from './relay-controller.js';
import { SidePaneController } from './side-controller.js';
import { TeamController } from './team-controller.js';
import { styles } from './wcp-panel.styles.js';
import { phoneText } from '../lib/phone-html.js';

export type { FormRecord } from '../state/panel-store.js';

/**
 * The agent's focus is on this page but in no field or control. Not when the page itself lacks
 * focus (the agent is in another frame of the form, or another window): focus stays there.
 */
function focusIsNowhere(): boolean {
  return document.hasFocus() && (!document.activeElement || document.activeElement === document.body);
}

/**
 * The WhatsApp communication panel: the root and only mediator. The agent's offers, sessions
 * and transcripts live in one store (`state/panel-store.ts`, a reducer); `RelayController` and
 * `CrmController` talk to the relay client and the CRM port it is given and dispatch what
 * happened; the panel renders the state and turns the children's events into calls on them.
 *
 * The side pane (`<wcp-side-pane>`: summary, notes, records, knowledge, scripts, search,
 * assist) sits beside the conversation, or below it when narrow; `SidePaneController`
 * answers its events.
 *
 * Theme: the `--wcp-*` custom properties below inherit into every part of the panel. Unset,
 * they have light and dark defaults, chosen by `theme="light"`/`"dark"` or else the OS scheme.
 *
 * Language: `locale` (`en`, `de`, `fr`, `es`, `ar`, or a tag such as `de-AT`; English when not
 * offered) sets the text of every part, the `Intl` date and number formats, and the panel's own
 * `lang` and `dir` attributes (`rtl` for Arabic).
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
@localized()
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
  /** The agent's language as a BCP 47 tag; the panel sets `lang` and `dir` from it. */
  @property() locale = 'en';

  @query('wcp-composer') private composer?: WcpComposer;
  @query('wcp-template-picker') private picker?: WcpTemplatePicker;
  @query('wcp-transfer-dialog') private transferDialog?: WcpTransferDialog;
  @query('wcp-consult-dialog') private consultDialog?: WcpConsultDialog;
  @query('wcp-thread') private thread?: WcpThread;
  /** A message to show once its conversation's transcript is on screen (a transcript-search hit). */
  private reveal: { conversationId: string; messageId: string } | null = null;

  private readonly store = createPanelStore();
  private readonly relayClient = new RelayController(this, this.store, {
    relay: () => this.relay,
    connecting: () => this.side.reset(),
    ready: (relay) => {
      void this.crmPort.loadLibrary();
      this.team.start(relay);
    },
    event: (event) => {
      this.side.onRelayEvent(event);
      this.team.onRelayEvent(event);
    },
    linkedOnAccept: (conversation) => this.side.linkedByRelay(conversation),
  });
  private readonly team = new TeamController(this.store, {
    relay: () => this.relay,
    transferDialog: () => this.transferDialog ?? null,
    consultDialog: () => this.consultDialog ?? null,
    // The button that was pressed is gone with the conversation.
    handedOver: () => void this.focusWorkLeft('conversation'),
  });
  private readonly crmPort = new CrmController(this, this.store, () => this.crm, {
    relay: () => this.relay,
    language: () => this.locale,
    scriptsLoaded: (scripts) => this.side.showScripts(scripts),
    scriptsFailed: (error) => this.side.scriptsFailed(error),
  });
  private readonly side = new SidePaneController(this, {
    relay: () => this.relay,
    crm: () => this.crm,
    selected: () => selectedConversation(this.store.state),
    sessionIds: () => this.store.state.sessions.map((s) => s.id),
    insertText: (text) => this.composer?.insertText(text),
    showConversation: (id, messageId) => {
      if (!this.store.state.sessions.some((s) => s.id === id)) return false;
      this.reveal = messageId ? { conversationId: id, messageId } : null;
      this.store.dispatch({ type: 'select', conversationId: id });
      // Already on screen, the select changes nothing: shown now (else once its transcript is in, updated()).
      this.requestUpdate();
      return true;
    },
    updateConversation: (conversation) => this.store.dispatch({ type: 'conversation', conversation }),
    contactCreated: () => this.store.dispatch({ type: 'contactCreated' }),
  });

  /** The offers on screen at the last render, so that one arriving is known. */
  private offersShown: ReadonlySet<string> = new Set();
  /** Said to a screen reader when an offer arrives while the agent is busy in a field (focus stays there). */
  @state() private offerAnnouncement = '';
  /** Unread counts at the last render (null before the agent's first), so a customer writing in a background conversation is known. */
  private unreadShown: ReadonlyMap<string, number> | null = null;
  /**
   * Said politely when a customer writes in a conversation in the background: its tab's count
   * changes silently, and only the open conversation's messages are read out (wcp-thread).
   */
  @state() private backgroundAnnouncement = '';

  constructor() {
    super();
    this.store.subscribe(() => this.requestUpdate());
  }

  /** The newest background conversation whose unread count rose since the last render, said by name and count. */
  private announceBackgroundMessages(): void {
    const { unread, sessions, agent } = this.store.state;
    if (!agent || unread === this.unreadShown) return;
    const before = this.unreadShown;
    this.unreadShown = unread;
    // The counts a sign-in or a reload restores are not news.
    if (before === null) return;
    const rose = sessions.filter((s) => (unread.get(s.id) ?? 0) > (before.get(s.id) ?? 0)).at(-1);
    if (!rose) return;
    // The count makes each one new text: a live region says nothing when its text stays the same.
    this.backgroundAnnouncement = msg(str`New message from ${displayName(this.store.state, rose)} (${unread.get(rose.id) ?? 0} unread).`);
  }

  /**
   * An arriving offer is an alertdialog: it takes focus (WAI-ARIA), so a keyboard user is at
   * Accept — when the agent's focus is nowhere (the page itself). It is never taken from a
   * field or control in use: a reply being typed must not go to the card's buttons.
   */
  protected override updated(): void {
    this.revealMessage();
    this.announceBackgroundMessages();
    const ids = this.store.state.offers.map((o) => o.conversation.id);
    const arrived = ids.find((id) => !this.offersShown.has(id));
    this.offersShown = new Set(ids);
    // Said once per offer: cleared when none is left, so the next one with the same name is said again.
    if (ids.length === 0 && this.offerAnnouncement) this.offerAnnouncement = '';
    if (arrived === undefined) return;
    if (!focusIsNowhere()) {
      // Focus is not taken from a reply being typed, but the agent must still hear that a customer waits.
      const offer = this.store.state.offers.find((o) => o.conversation.id === arrived)!;
      this.offerAnnouncement = msg(str`Incoming WhatsApp conversation from ${displayName(this.store.state, offer.conversation)}.`);
      return;
    }
    const card = [...this.renderRoot.querySelectorAll('wcp-incoming')].find((c) => c.conversation?.id === arrived);
    // The card renders its buttons after this render; the agent may have clicked somewhere meanwhile.
    void card?.updateComplete.then(() => focusIsNowhere() && card.focus());
  }

  /**
   * Shows the search hit asked for once its conversation's transcript is on screen. Given up
   * when the agent looks elsewhere, or when the transcript is in without it (a message older
   * than the pages loaded: the hit still opened its conversation).
   */
  private revealMessage(): void {
    const reveal = this.reveal;
    if (!reveal) return;
    if (this.store.state.selectedId !== reveal.conversationId) {
      this.reveal = null;
      return;
    }
    const thread = this.thread;
    if (!thread || threadOf(this.store.state, reveal.conversationId).messages.length === 0) return;
    void thread.updateComplete.then(() => {
      if (this.reveal !== reveal) return;
      thread.showMessage(reveal.messageId);
      this.reveal = null;
    });
  }

  /** Closes the event stream and frees media; for the host's teardown (pcf `destroy`). */
  disconnect(): void {
    this.relayClient.disconnect();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('phone')) this.store.dispatch({ type: 'formPhone', phone: this.phone });
    if (changed.has('locale')) {
      const locale = panelLocale(this.locale);
      this.setAttribute('lang', locale);
      this.setAttribute('dir', directionOf(locale));
      void useLocale(locale);
    }
  }

  // ---- child events -------------------------------------------------------------------

  private async onAccept(event: AcceptOfferEvent): Promise<void> {
    if (!(await this.relayClient.accept(event.conversationId))) return;
    await this.updateComplete;
    this.composer?.focus();
  }

  /** The card and its focused button go. */
  private async onReject(event: RejectOfferEvent): Promise<void> {
    await this.relayClient.reject(event.conversationId);
    await this.focusWorkLeft('offer');
  }

  /**
   * What had focus went with an offer or a conversation (rejected, transferred, closed): focus
   * moves to the work left, the next offer or the conversation now shown (`first` says which
   * comes first), else to presence; never to the page's body, where a keyboard user starts over.
   */
  private async focusWorkLeft(first: 'offer' | 'conversation'): Promise<void> {
    await this.updateComplete;
    const offer = this.renderRoot.querySelector('wcp-incoming');
    const composer = this.composer;
    const next = first === 'offer' ? (offer ?? composer) : (composer ?? offer);
    (next ?? this.renderRoot.querySelector<HTMLElement>('wcp-presence'))?.focus();
  }

  private onSend(event: SendMessageEvent): void {
    void this.relayClient.sendMessage(event, () => this.composer?.clearAttachment());
  }

  private async onSendTemplate(event: SendTemplateEvent): Promise<void> {
    if (await this.relayClient.sendTemplate(event)) this.picker?.close();
  }

  private onRetry(event: RetryMessageEvent): void {
    void this.relayClient.retry(event.messageId);
  }

  private async onChangeState(event: ChangeStateEvent): Promise<void> {
    // Closed, the conversation leaves the tabs with the button that closed it.
    if ((await this.relayClient.setState(event.state, event.wrapUp)) && event.state === 'closed') await this.focusWorkLeft('conversation');
  }

  private onChangePresence(event: ChangePresenceEvent): void {
    void this.relayClient.setPresence(event.presence);
  }

  private onMediaRequest(event: MediaRequestEvent): void {
    void this.relayClient.loadMedia(event.media.url);
  }

  private openTemplates(): void {
    this.picker?.show();
    void this.relayClient.loadTemplates();
  }

  // ---- render -------------------------------------------------------------------------

  override render() {
    const state = this.store.state;
    const selected = selectedConversation(state);
    const summaries = sessionSummaries(state);
    return html`<div class="panel" part="panel">
      <header>
        <h1>WhatsApp</h1>
        ${state.connection === 'reconnecting'
          ? html`<span class="connection" role="status">${msg('Reconnecting… messages you send now go out when the connection is back.')}</span>`
          : nothing}
        <wcp-queue-status .queues=${state.queues}></wcp-queue-status>
        ${state.agent
          ? html`<wcp-presence .presence=${state.agent.presence} @wcp-change-presence=${this.onChangePresence}></wcp-presence>`
          : nothing}
      </header>
      <p class="visually-hidden" aria-live="assertive" aria-atomic="true">${this.offerAnnouncement}</p>
      <p class="visually-hidden" aria-live="polite" aria-atomic="true">${this.backgroundAnnouncement}</p>
      ${state.notice
        ? html`<p class="notice" role="alert">${state.notice}<button @click=${() => this.store.dispatch({ type: 'notice', text: '' })}>${msg('Dismiss')}</button></p>`
        : nothing}
      ${state.lastClosed
        ? html`<p class="closed-note" role="status">
            ${msg(str`Conversation with ${state.lastClosed.title} closed: ${dispositionLabel(state.lastClosed.disposition, state.dispositions)}`)}
          </p>`
        : nothing}
      <div class="offers" @wcp-accept-offer=${this.onAccept} @wcp-reject-offer=${this.onReject}>${state.offers.map(
        (offer) => html`<wcp-incoming
          .conversation=${state.clock.offerToLocal(offer.conversation)}
          .firstMessage=${offer.firstMessage}
          .contact=${contactFor(state, offer.conversation)}
          .transfer=${offer.transfer}
          ?busy=${state.answering.has(offer.conversation.id)}
        ></wcp-incoming>`,
      )}</div>
      ${summaries.length > 0
        ? html`<wcp-session-tabs
            .sessions=${summaries}
            .selectedId=${state.selectedId}
            @wcp-select-conversation=${(e: SelectConversationEvent) => this.store.dispatch({ type: 'select', conversationId: e.conversationId })}
          ></wcp-session-tabs>`
        : nothing}
      <div class="body">
        ${selected ? this.renderConversation(selected) : html`<p class="empty">${noSessionsText(state.agent?.presence)}</p>`}
        ${selected
          ? html`<aside class="side" aria-label=${msg('Customer details')}>
              ${this.side.render({
                conversation: selected,
                contact: contactFor(state, selected),
                messages: loadedMessages(state, selected.id),
                quickReplies: state.quickReplies,
              })}
            </aside>`
          : nothing}
      </div>
      <wcp-template-picker
        .templates=${state.templates}
        ?stale=${state.templatesStale}
        ?inside-window=${!!selected && !isReplyWindowClosed(state, selected, Date.now())}
        ?opted-out=${!!selected?.optedOut}
        .placeholderContext=${placeholderContext(state, selected, this.record)}
        .language=${this.templateLanguage}
        ?busy=${state.picker.busy}
        .error=${state.picker.error}
        @wcp-send-template=${this.onSendTemplate}
      ></wcp-template-picker>
      ${this.team.renderDialogs(selected && !isConsulting(state, selected) ? selected : undefined)}
    </div>`;
  }

  private renderConversation(conversation: Conversation) {
    const state = this.store.state;
    const id = conversation.id;
    const name = displayName(state, conversation);
    const thread = threadOf(state, id);
    // A consultant reads and adds notes (side pane); it neither writes to the customer nor changes the conversation.
    const consulting = isConsulting(state, conversation);
    // Once the agent has ended it (wrap-up) nothing more goes to the customer: their next message opens a new conversation.
    const writes = mayWriteToCustomer(conversation.state);
    return html`<section class="conversation" aria-label=${msg(str`Conversation with ${name}`)}>
      <div class="conversation-header">
        <h2>
          <bdi>${name}</bdi>
          ${contactFor(state, conversation) ? html`<span class="authenticated">${msg('Authenticated')}</span>` : nothing}
          <small>${phoneText(conversation.customer.phone)}</small>
        </h2>
        ${consulting
          ? nothing
          : // One per conversation; the wrap-up's disposition and summary are kept with the conversation they were chosen for (the store).
            keyed(
              id,
              html`<wcp-state-control
                .state=${conversation.state}
                .dispositions=${state.dispositions}
                .disposition=${wrapUpOf(state, id).disposition}
                .summary=${wrapUpOf(state, id).summary}
                .wrapUpEndsAt=${state.clock.toLocal(conversation.wrapUpEndsAt ?? null)}
                ?busy=${state.stateBusy}
                @wcp-change-state=${this.onChangeState}
                @wcp-wrap-up-change=${(e: WrapUpChangeEvent) => this.store.dispatch({ type: 'wrapUp', conversationId: id, wrapUp: e.wrapUp })}
              ></wcp-state-control>`,
            )}
        ${this.team.renderHeader(conversation)}
      </div>
      ${conversation.state === 'wrapup'
        ? html`<p class="ended" role="note">${msg('You ended this conversation. If the customer writes again, their message comes as a new conversation.')}</p>`
        : nothing}
      ${consulting || conversation.state === 'wrapup'
        ? nothing
        : html`<wcp-window-banner
            .windowExpiresAt=${state.clock.toLocal(conversation.windowExpiresAt)}
            .expiredAttempts=${state.expiredAttempts.get(id) ?? 0}
            .referral=${conversation.referral ?? null}
            .freeEntryExpiresAt=${state.clock.toLocal(conversation.freeEntryExpiresAt ?? null)}
            .freeEntryReplyBy=${state.clock.toLocal(conversation.freeEntryReplyBy ?? null)}
            @wcp-open-templates=${this.openTemplates}
          ></wcp-window-banner>`}
      <wcp-thread
        .messages=${thread.messages}
        .mediaUrls=${state.mediaUrls}
        .hasOlder=${thread.hasOlder}
        .loadingOlder=${thread.loadingOlder}
        .customerName=${name}
        .authors=${messageAuthors(state)}
        ?read-only=${consulting || !writes}
        @wcp-load-older=${() => void this.relayClient.loadOlder(id)}
        @wcp-retry-message=${this.onRetry}
        @wcp-reply-to=${(e: ReplyToEvent) => {
          this.store.dispatch({ type: 'replyTo', conversationId: id, message: e.message });
          this.composer?.focus();
        }}
        @wcp-media-request=${this.onMediaRequest}
        @wcp-create-record=${(e: CreateRecordEvent) => void this.crmPort.createRecord(e.record)}
      ></wcp-thread>
      ${consulting
        ? nothing
        : html`<wcp-composer
            conversation-id=${id}
            .draft=${state.drafts.get(id) ?? ''}
            .replyTo=${state.replyTo.get(id) ?? null}
            .quickReplies=${state.quickReplies}
            .placeholderContext=${placeholderContext(state, conversation, this.record)}
            .maxAttachmentBytes=${this.maxAttachmentBytes}
            ?disabled=${!writes}
            ?opted-out=${!!conversation.optedOut}
            .uploadProgress=${state.uploadProgress}
            ?busy=${state.composer.busy}
            .error=${state.composer.error}
            @wcp-draft-change=${(e: DraftChangeEvent) => this.store.dispatch({ type: 'draft', conversationId: id, draft: e.draft })}
            @wcp-cancel-reply=${() => this.store.dispatch({ type: 'replyTo', conversationId: id, message: null })}
            @wcp-send=${this.onSend}
            @wcp-typing=${() => this.relayClient.typing(id)}
            @wcp-open-templates=${this.openTemplates}
          ></wcp-composer>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-panel': WcpPanel;
  }
}
