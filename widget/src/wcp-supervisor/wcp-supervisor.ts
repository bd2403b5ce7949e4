import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CrmFailure, Disposition, Message, MessageSentiment, SupervisorOverview } from '@wcp/protocol';
import { canHandOver } from '@wcp/protocol/states';
import { directionOf, panelLocale, useLocale } from '../i18n/locale.js';
import { messageOf } from '../lib/error-text.js';
import { presenceLabel, stateLabel } from '../lib/conversation-state.js';
import { RelayClock } from '../lib/relay-clock.js';
import { Ticker } from '../lib/ticker.js';
import { formatClock, formatCount, formatDuration, formatTimeOrDateTime } from '../lib/time.js';
import { createRelayClient, RelayError, type ConnectionState, type RelayClient } from '../relay/relay-client.js';
import { aggregateSentiment } from '../side/sentiment/sentiment.js';
import { sentimentLabel } from '../side/wcp-sentiment/wcp-sentiment.js';
import { tokens } from '../styles/tokens.styles.js';
import { CoalescedRefresh } from './coalesced-refresh.js';
import type { AssignEvent, ForceCloseEvent } from './supervisor-events.js';
import { styles, supervisorButtonStyles } from './wcp-supervisor.styles.js';
import './wcp-assign-dialog.js';
import './wcp-force-close-dialog.js';
import './wcp-transcript-dialog.js';
import { phoneText } from '../lib/phone-html.js';

type OverviewConversation = SupervisorOverview['conversations'][number];
type Dialog =
  | { kind: 'assign'; conversation: OverviewConversation }
  | { kind: 'close'; conversation: OverviewConversation }
  | { kind: 'transcript'; conversation: OverviewConversation; messages: Message[] | null };

/** A transcript longer than this many pages is shown from its newest part. */
const TRANSCRIPT_PAGES = 20;
/** CRM failures come with no event (the writer works in the background): read them this often too. */
const SLOW_REFRESH_MS = 30_000;

/**
 * The supervisor's page: every agent (presence, load), every queue (waiting, longest wait,
 * ticking) and every conversation not closed, live over the relay's event stream — each burst
 * of events re-reads the overview once. Per conversation: Assign (to an agent of the
 * supervisor's choice), Force close (with a disposition) and a read-only transcript. CRM
 * writes Dataverse refused for good are listed while there are any.
 *
 * Give it `relay-url` and `token` (a token whose roles include `supervisor`), or a `getToken`
 * that refreshes, or a ready `relay` client.
 */
@localized()
@customElement('wcp-supervisor')
export class WcpSupervisor extends LitElement {
  static override styles = [tokens, supervisorButtonStyles, styles];

  /** The relay's origin, e.g. `https://relay.contoso.com`. */
  @property({ attribute: 'relay-url' }) relayUrl = '';
  /** A supervisor's bearer token. */
  @property() token = '';
  /** Called before each request instead of `token`, so it may refresh. */
  @property({ attribute: false }) getToken: (() => Promise<string>) | null = null;
  /** A client to use instead of one made from `relay-url` (it must carry a supervisor's token). */
  @property({ attribute: false }) relay: RelayClient | null = null;
  /** The language as a BCP 47 tag; sets `lang` and `dir`. */
  @property() locale = 'en';

  @state() private overview: SupervisorOverview | null = null;
  @state() private failures: CrmFailure[] = [];
  @state() private dispositions: Disposition[] = [];
  @state() private loadError = '';
  @state() private connection: ConnectionState = 'idle';
  @state() private dialog: Dialog | null = null;
  @state() private dialogError = '';
  @state() private busy = false;
  /** The last action's outcome, announced politely. */
  @state() private notice = '';

  private client: RelayClient | null = null;
  /** The relay's clock as its latest `window` event told it (the simulator can move it); until then the stream's `ready` frame. */
  @state() private relayClock: RelayClock | null = null;
  private unsubscribe: (() => void) | null = null;
  private slowTimer: ReturnType<typeof setInterval> | undefined;
  private refresh: CoalescedRefresh | null = null;
  /** The button that opened the dialog: focus goes back there when it closes. */
  private opener: HTMLElement | null = null;

  constructor() {
    super();
    new Ticker(this); // the waits tick, the windows count down
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale')) {
      const locale = panelLocale(this.locale);
      this.setAttribute('lang', locale);
      this.setAttribute('dir', directionOf(locale));
      void useLocale(locale);
    }
    if (changed.has('relayUrl') || changed.has('token') || changed.has('getToken') || changed.has('relay')) {
      this.stop();
      this.start();
    }
  }

  private start(): void {
    const client = this.relay ?? this.makeClient();
    if (!client || this.client) return;
    this.client = client;
    const refresh = (this.refresh = new CoalescedRefresh(() => this.load(client)));
    this.unsubscribe = client.subscribe(
      (event) => {
        if (event.type === 'window' && event.data.serverTime) this.relayClock = RelayClock.fromServerTime(event.data.serverTime);
        refresh.request();
      },
      (connection) => {
        this.connection = connection;
        // (Re)connected: whatever happened while the stream was down is in the next read.
        if (connection === 'open') refresh.request();
      },
    );
    this.slowTimer = setInterval(() => refresh.request(), SLOW_REFRESH_MS);
    refresh.request();
    client.dispositions().then(
      (items) => (this.dispositions = items),
      () => undefined, // the close dialog shows an empty list; closing then says why
    );
  }

  private makeClient(): RelayClient | null {
    if (!this.relayUrl || (!this.token && !this.getToken)) return null;
    const getToken = this.getToken ?? (async () => this.token);
    return createRelayClient({ baseUrl: this.relayUrl, getToken, outboxStorage: null });
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.refresh?.stop();
    this.refresh = null;
    clearInterval(this.slowTimer);
    this.client = null;
    this.relayClock = null;
  }

  private async load(client: RelayClient): Promise<void> {
    try {
      const [overview, failures] = await Promise.all([client.supervisorOverview(), client.crmFailures()]);
      if (client !== this.client) return;
      this.overview = overview;
      this.failures = failures;
      this.loadError = '';
    } catch (error) {
      if (client !== this.client) return;
      this.loadError =
        error instanceof RelayError && error.code === 'forbidden'
          ? msg('This page is for supervisors: the signed-in user does not have the supervisor role.')
          : msg(str`The overview could not be read: ${messageOf(error)}`);
    }
  }

  /** The relay's clock (waits and windows are measured on it). */
  private now(): number {
    return this.relayClock?.now() ?? Date.now() + (this.client?.serverClockOffsetMs() ?? 0);
  }

  override render() {
    const o = this.overview;
    return html`<div class="status-line">
        <span role="status">${this.connection === 'reconnecting' ? msg('Reconnecting to the relay…') : nothing}</span>
        <span role="status">${this.notice}</span>
        ${this.loadError ? html`<span role="alert" class="error">${this.loadError}</span>` : nothing}
      </div>
      ${o
        ? html`<div class="columns">
              <section>${this.renderAgents(o)}</section>
              <section>${this.renderQueues(o)}</section>
            </div>
            <section>${this.renderShownOf(o)}${this.renderConversations(o)}</section>
            ${this.failures.length ? html`<section>${this.renderFailures(o)}</section>` : nothing}`
        : this.loadError
          ? nothing
          : html`<p role="status">${msg('Loading…')}</p>`}
      ${this.renderDialog(o)}`;
  }

  private renderAgents(o: SupervisorOverview) {
    return html`<table>
      <caption>
        ${msg('Agents')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${msg('Name')}</th>
          <th scope="col">${msg('Presence')}</th>
          <th scope="col">${msg('Load')}</th>
        </tr>
      </thead>
      <tbody>
        ${repeat(
          o.agents,
          (a) => a.id,
          (a) => html`<tr>
            <th scope="row">${a.name}</th>
            <td>${presenceLabel(a.presence)}</td>
            <td class="number">${msg(str`${a.load} of ${a.capacity}`)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderQueues(o: SupervisorOverview) {
    const now = this.now();
    return html`<table>
      <caption>
        ${msg('Queues')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${msg('Name')}</th>
          <th scope="col">${msg('Waiting')}</th>
          <th scope="col">${msg('Longest wait')}</th>
        </tr>
      </thead>
      <tbody>
        ${repeat(
          o.queues,
          (q) => q.id,
          (q) => html`<tr>
            <th scope="row">${q.name}</th>
            <td class="number">${q.waiting}</td>
            <td class="number">${q.longestWaitSince ? formatClock(now - Date.parse(q.longestWaitSince)) : '—'}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  /** The relay lists the newest live conversations only; past that the page says so (the queues count them all). */
  private renderShownOf(o: SupervisorOverview) {
    const total = o.conversationsTotal ?? o.conversations.length;
    if (total <= o.conversations.length) return nothing;
    const shown = formatCount(o.conversations.length);
    return html`<p class="shown-of">${msg(str`Showing the newest ${shown} of ${formatCount(total)} live conversations; the queues above count them all.`)}</p>`;
  }

  private renderConversations(o: SupervisorOverview) {
    const agents = new Map(o.agents.map((a) => [a.id, a.name]));
    const queues = new Map(o.queues.map((q) => [q.id, q.name]));
    const now = this.now();
    return html`<table class="conversations" tabindex="-1">
      <caption>
        ${msg('Conversations')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${msg('Customer')}</th>
          <th scope="col">${msg('State')}</th>
          <th scope="col">${msg('Agent')}</th>
          <th scope="col">${msg('Queue')}</th>
          <th scope="col">${msg('Window left')}</th>
          <th scope="col">${msg('Sentiment')}</th>
          <th scope="col">${msg('Waiting since')}</th>
          <th scope="col">${msg('Actions')}</th>
        </tr>
      </thead>
      <tbody>
        ${o.conversations.length === 0
          ? html`<tr>
              <td colspan="8">${msg('No open conversations.')}</td>
            </tr>`
          : repeat(
              o.conversations,
              (c) => c.id,
              (c) => html`<tr>
                <th scope="row" id=${`customer-${c.id}`}>
                  ${customerName(c)}${c.customer.profileName ? html` <span class="phone">${phoneText(c.customer.phone)}</span>` : nothing}
                </th>
                <td>${stateLabel(c.state)}</td>
                <td>
                  ${c.agentId
                    ? (agents.get(c.agentId) ?? c.agentId)
                    : c.offeredTo
                      ? msg(str`Offered to ${agents.get(c.offeredTo) ?? c.offeredTo}`)
                      : '—'}
                </td>
                <td>${queues.get(c.queueId) ?? c.queueId}</td>
                <td>${windowLeft(c.windowExpiresAt, now)}</td>
                <td>${c.sentiment ? sentimentOf(c.sentiment) : '—'}</td>
                <td>
                  ${c.waitingSince
                    ? html`<time datetime=${c.waitingSince}>${formatTimeOrDateTime(c.waitingSince)}</time> (${formatClock(now - Date.parse(c.waitingSince))})`
                    : '—'}
                </td>
                <td>
                  <div class="actions">
                    <button
                      aria-describedby=${`customer-${c.id}`}
                      ?disabled=${!canHandOver(c.state)}
                      title=${canHandOver(c.state) ? '' : msg('A conversation in wrap-up stays with its agent until it is closed.')}
                      @click=${(e: Event) => this.open(e, { kind: 'assign', conversation: c })}
                    >
                      ${msg('Assign')}
                    </button>
                    <button aria-describedby=${`customer-${c.id}`} @click=${(e: Event) => this.open(e, { kind: 'close', conversation: c })}>
                      ${msg('Force close')}
                    </button>
                    <button aria-describedby=${`customer-${c.id}`} @click=${(e: Event) => this.openTranscript(e, c)}>${msg('Transcript')}</button>
                  </div>
                </td>
              </tr>`,
            )}
      </tbody>
    </table>`;
  }

  private renderFailures(o: SupervisorOverview) {
    const customers = new Map(o.conversations.map((c) => [c.id, customerName(c)]));
    return html`<table>
      <caption>
        ${msg('CRM writes that failed')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${msg('Conversation')}</th>
          <th scope="col">${msg('Failed at')}</th>
          <th scope="col">${msg('Attempts')}</th>
          <th scope="col">${msg('Error')}</th>
          <th scope="col">${msg('Actions')}</th>
        </tr>
      </thead>
      <tbody>
        ${repeat(
          this.failures,
          (f) => f.conversationId,
          (f) => html`<tr>
            <th scope="row">${customers.get(f.conversationId) ?? f.conversationId}</th>
            <td><time datetime=${f.failedAt}>${formatTimeOrDateTime(f.failedAt)}</time></td>
            <td class="number">${f.attempts}</td>
            <td class="error-text">${f.error}</td>
            <td><button type="button" ?disabled=${this.busy} @click=${() => this.retryCrmWrites([f.conversationId])}>${msg('Retry')}</button></td>
          </tr>`,
        )}
      </tbody>
    </table>
    <button type="button" ?disabled=${this.busy} @click=${() => this.retryCrmWrites()}>${msg('Retry all')}</button>`;
  }

  /** Once the cause is fixed (a security role granted, the solution imported), the refused writes go out again. */
  private async retryCrmWrites(conversationIds?: string[]): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.busy = true;
    try {
      await client.retryCrmWrites(conversationIds);
      this.notice = msg('The CRM writes will be tried again.');
      this.refresh?.request();
    } catch (error) {
      this.notice = msg(str`The CRM writes could not be retried: ${messageOf(error)}`);
    } finally {
      this.busy = false;
    }
  }

  private renderDialog(o: SupervisorOverview | null) {
    const d = this.dialog;
    if (!d) return nothing;
    const customer = customerName(d.conversation);
    const id = d.conversation.id;
    switch (d.kind) {
      case 'assign':
        return html`<wcp-assign-dialog
          conversationId=${id}
          customer=${customer}
          .agents=${o?.agents ?? []}
          ?busy=${this.busy}
          error=${this.dialogError}
          @wcp-assign=${this.assign}
          @wcp-dialog-dismiss=${this.closeDialog}
        ></wcp-assign-dialog>`;
      case 'close':
        return html`<wcp-force-close-dialog
          conversationId=${id}
          customer=${customer}
          .dispositions=${this.dispositions}
          ?busy=${this.busy}
          error=${this.dialogError}
          @wcp-force-close=${this.forceClose}
          @wcp-dialog-dismiss=${this.closeDialog}
        ></wcp-force-close-dialog>`;
      case 'transcript':
        return html`<wcp-transcript-dialog
          customer=${customer}
          .messages=${d.messages}
          .agentNames=${new Map((o?.agents ?? []).map((a) => [a.id, a.name]))}
          error=${this.dialogError}
          @wcp-dialog-dismiss=${this.closeDialog}
        ></wcp-transcript-dialog>`;
    }
  }

  private open(event: Event, dialog: Dialog): void {
    this.opener = event.currentTarget as HTMLElement;
    this.dialogError = '';
    this.notice = '';
    this.dialog = dialog;
  }

  private async closeDialog(): Promise<void> {
    this.dialog = null;
    this.busy = false;
    await this.updateComplete;
    // The row gone (closed meanwhile, or by this dialog): the focus stays near, on the table.
    if (this.opener?.isConnected) this.opener.focus();
    else this.renderRoot.querySelector<HTMLElement>('table.conversations')?.focus();
    this.opener = null;
  }

  private async openTranscript(event: Event, conversation: OverviewConversation): Promise<void> {
    this.open(event, { kind: 'transcript', conversation, messages: null });
    const client = this.client;
    if (!client) return;
    try {
      const messages: Message[] = [];
      let before: string | null = null;
      for (let page = 0; page < TRANSCRIPT_PAGES; page++) {
        const result = await client.listMessages(conversation.id, { before, limit: 100 });
        messages.unshift(...result.items);
        before = result.next;
        if (before === null) break;
      }
      if (this.dialog?.kind === 'transcript' && this.dialog.conversation.id === conversation.id) {
        this.dialog = { ...this.dialog, messages };
      }
    } catch (error) {
      this.dialogError = msg(str`The transcript could not be read: ${messageOf(error)}`);
    }
  }

  private async assign(event: AssignEvent): Promise<void> {
    const client = this.client;
    if (!client) return;
    const agent = this.overview?.agents.find((a) => a.id === event.agentId);
    const name = agent?.name ?? event.agentId;
    // As the supervisor saw it when choosing (the overview may have moved on meanwhile): an open
    // conversation an agent has just accepted is refused by the relay, not taken from them.
    const seen = this.dialog?.kind === 'assign' && this.dialog.conversation.id === event.conversationId ? this.dialog.conversation : null;
    this.busy = true;
    this.dialogError = '';
    try {
      // Waiting for an agent: assigned; held by one: transferred to the other (the offer says by whom).
      if (!seen || seen.state === 'open') await client.assign(event.conversationId, event.agentId);
      else await client.transfer(event.conversationId, { agentId: event.agentId });
      this.notice = msg(str`Offered to ${name}.`);
      await this.closeDialog();
      this.refresh?.request();
    } catch (error) {
      this.busy = false;
      this.dialogError = assignErrorText(error, name);
    }
  }

  private async forceClose(event: ForceCloseEvent): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.busy = true;
    this.dialogError = '';
    try {
      await client.setState(event.conversationId, 'closed', event.wrapUp);
      this.notice = msg('Conversation closed.');
      // Its row, and the button that opened the dialog, go with the next refresh.
      this.opener = null;
      await this.closeDialog();
      this.refresh?.request();
    } catch (error) {
      this.busy = false;
      this.dialogError = messageOf(error);
    }
  }
}

/** The customer as the agent's panel names them: WhatsApp profile name, else the number. */
function customerName(c: OverviewConversation): string {
  return c.customer.profileName || c.customer.phone;
}

/** The latest message's figures on the panel's seven-point scale (the one sentiment rule, over that one message). */
function sentimentOf(figures: MessageSentiment): string {
  const label = sentimentLabel(aggregateSentiment([{ direction: 'inbound', body: '·', sentiment: figures }]).label);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

function windowLeft(expiresAt: string | null, now: number): string {
  if (!expiresAt) return '—';
  const left = Date.parse(expiresAt) - now;
  return left > 0 ? formatDuration(left) : msg('Expired');
}

/** A refused assignment in plain words: the relay's 409s by code, anything else as the relay put it. */
function assignErrorText(error: unknown, agentName: string): string {
  if (error instanceof RelayError) {
    // Who can take work is the relay's rule (routing/policy.ts canTakeWork); the list shows each agent's presence and load.
    if (error.code === 'agent_unavailable') return msg(str`${agentName} cannot take it now: not Available or Busy, or at capacity (as listed). Choose another agent.`);
    if (error.code === 'invalid_transition') return msg('An agent has just taken this conversation, or it moved to wrap-up or was closed: it stays where it is.');
    if (error.code === 'transfer_to_self') return msg('Choose an agent other than the one holding the conversation, and other than yourself.');
    if (error.code === 'conversation_closed') return msg('This conversation was closed meanwhile.');
  }
  return messageOf(error);
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-supervisor': WcpSupervisor;
  }
}
