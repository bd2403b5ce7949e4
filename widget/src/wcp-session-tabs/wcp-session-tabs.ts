import { html, LitElement, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import type { ConversationState } from '@wcp/protocol';
import { SelectConversationEvent } from '../events/select-conversation-event.js';
import { replyWindow, windowExpiryOrder } from '../lib/reply-window.js';
import { Ticker } from '../lib/ticker.js';
import { tabKeyTarget } from '../lib/tab-keys.js';
import { formatDuration } from '../lib/time.js';
import { stateLabel } from '../lib/conversation-state.js';
import { languageComma } from '../lib/comma.js';
import { tokens } from '../styles/tokens.styles.js';
import { styles } from './wcp-session-tabs.styles.js';

/** What a session tab shows. */
export interface SessionSummary {
  conversationId: string;
  title: string;
  state: ConversationState;
  unread: number;
  windowExpiresAt: string | null;
  /** The agent is consulted on it (read-only), not its holder. */
  consulting?: boolean;
}

/**
 * The agent's accepted conversations as tabs, with unread counts and the time left in each
 * reply window; "Sort by window expiry" (shown with two or more sessions) puts the most urgent first. Arrow keys, Home and
 * End move between tabs.
 *
 * @fires {SelectConversationEvent} wcp-select-conversation - another tab chosen
 * @csspart tablist - the tab strip
 */
@localized()
@customElement('wcp-session-tabs')
export class WcpSessionTabs extends LitElement {
  static override styles = [tokens, styles];

  @property({ attribute: false }) sessions: readonly SessionSummary[] = [];
  @property({ attribute: 'selected-id' }) selectedId: string | null = null;
  @property({ type: Boolean, reflect: true, attribute: 'sort-by-expiry' }) sortByExpiry = false;

  constructor() {
    super();
    new Ticker(this, 30_000);
  }

  private get ordered(): SessionSummary[] {
    if (!this.sortByExpiry) return [...this.sessions];
    return [...this.sessions].sort((a, b) => windowExpiryOrder(a.windowExpiresAt) - windowExpiryOrder(b.windowExpiresAt));
  }

  override render() {
    const ordered = this.ordered;
    const selected = ordered.some((s) => s.conversationId === this.selectedId) ? this.selectedId : ordered[0]?.conversationId;
    return html`
      <div role="tablist" aria-label=${msg('Conversations')} part="tablist" @keydown=${this.onKeyDown}>
        ${ordered.map((session) => {
          const isSelected = session.conversationId === selected;
          const { closed, remainingMs: left, closingSoon } = replyWindow(session.windowExpiresAt);
          // A wrap-up beside the same customer's new conversation (they wrote again) must not read the same: it says so, and has no window to count.
          const wrapUp = session.state === 'wrapup';
          // Waiting (for the customer) too: it comes back to Active when they write.
          const tag = session.consulting ? msg('Consulting') : wrapUp || session.state === 'waiting' ? stateLabel(session.state) : '';
          const windowText = wrapUp ? '' : closed ? msg('Window closed') : msg(str`${formatDuration(left)} left`);
          return html`<button
            role="tab"
            data-id=${session.conversationId}
            aria-selected=${String(isSelected)}
            tabindex=${isSelected ? 0 : -1}
            @click=${() => this.select(session.conversationId)}
          >
            <span>
              <bdi class="title">${session.title}</bdi>${tag
                ? html`<span class="tag"><span class="spoken">${languageComma()}</span>${tag}</span>`
                : ''}${session.unread > 0 ? html`<span class="spoken">${msg(str`, ${session.unread} unread`)}</span>` : ''}${windowText
                ? html`<span class="spoken">${languageComma().trimEnd()}</span>`
                : ''}${session.unread > 0 ? html`<span class="badge" aria-hidden="true">${session.unread}</span>` : ''}
            </span>
            ${windowText ? html`<span class="window ${closingSoon ? 'soon' : ''}">${windowText}</span>` : nothing}
          </button>`;
        })}
      </div>
      ${this.sessions.length > 1
        ? html`<button class="sort" aria-pressed=${String(this.sortByExpiry)} @click=${() => (this.sortByExpiry = !this.sortByExpiry)}>
            ${msg('Sort by window expiry')}
          </button>`
        : nothing}
    `;
  }

  private select(conversationId: string) {
    if (conversationId !== this.selectedId) this.dispatchEvent(new SelectConversationEvent(conversationId));
  }

  private onKeyDown(event: KeyboardEvent) {
    const tabs = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
    const current = tabs.findIndex((tab) => tab === this.renderRoot.querySelector(':focus'));
    if (current < 0) return;
    const next = tabKeyTarget(event.key, current, tabs.length, this);
    if (next < 0) return;
    event.preventDefault();
    tabs[next]!.focus();
    this.select(tabs[next]!.dataset.id!);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-session-tabs': WcpSessionTabs;
  }
}
