import { html, LitElement, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import type { Referral } from '@wcp/protocol';
import { OpenTemplatesEvent } from '../events/open-templates-event.js';
import { linkify } from '../lib/linkify.js';
import { isWindowClosed, replyWindow, windowExpiredMessage } from '../lib/reply-window.js';
import { Ticker } from '../lib/ticker.js';
import { formatClock, formatDateTime, formatDuration } from '../lib/time.js';
import { tokens } from '../styles/tokens.styles.js';
import { blockedIcon, clockIcon } from '../lib/icons.js';
import { styles } from './wcp-window-banner.styles.js';
import { keyed } from 'lit/directives/keyed.js';

/**
 * WhatsApp's 24-hour customer-service window: a live countdown to `windowExpiresAt`,
 * warning styling in the last hour. Once it has closed it shows the exact alert (DESIGN.md: outside
 * the window "the UI shows exactly" the 24-hour text), before the agent tries to write, and
 * offers a template; each free-form attempt refused since (`expiredAttempts`) adds the alert
 * afresh, so a screen reader announces it again rather than staying silent.
 *
 * A conversation that began from a Click-to-WhatsApp ad also shows the ad (`referral`) and the
 * free entry point's clock: 72 hours of free messages from the business's first reply, counted
 * down to `freeEntryExpiresAt` as the relay set it. Before that reply it promises the 72 hours only
 * until `freeEntryReplyBy` (a reply after it opens none); after, it says nothing of them.
 *
 * @fires {OpenTemplatesEvent} wcp-open-templates - "Choose a template" pressed
 * @csspart status - the countdown line
 * @csspart referral - where the customer came from, and the free entry point's clock
 * @cssprop --wcp-color-warning - last-hour text
 * @cssprop --wcp-color-danger - closed-window text
 */
@localized()
@customElement('wcp-window-banner')
export class WcpWindowBanner extends LitElement {
  static override styles = [tokens, styles];

  /** ISO end of the window; null before the customer ever wrote. */
  @property({ attribute: 'window-expires-at' }) windowExpiresAt: string | null = null;
  /** Free-form sends refused since the window closed; 0: none. */
  @property({ type: Number, attribute: 'expired-attempts' }) expiredAttempts = 0;
  /** The ad the conversation began from, or null. */
  @property({ attribute: false }) referral: Referral | null = null;
  /** ISO end of the ad's free entry point; null until the business has replied (or without an ad). */
  @property({ attribute: 'free-entry-expires-at' }) freeEntryExpiresAt: string | null = null;
  /** ISO moment until which the first reply still opens the free entry point (the relay's rule); null once one did, or without an ad. */
  @property({ attribute: 'free-entry-reply-by' }) freeEntryReplyBy: string | null = null;

  constructor() {
    super();
    new Ticker(this);
  }

  override render() {
    const { closed, remainingMs: remaining, closingSoon: warning } = replyWindow(this.windowExpiresAt);
    const text = closed
      ? msg('Reply window closed: only templates can be sent.')
      : warning
        ? msg(str`Reply window closes in ${formatClock(remaining)}`)
        : msg(str`Reply window: ${formatDuration(remaining)} left`);
    return html`
      <div class="status ${closed ? 'closed' : warning ? 'warning' : ''}" part="status">
        ${closed ? blockedIcon : clockIcon}<span>${text}</span>
      </div>
      ${this.referral ? this.renderReferral(this.referral) : nothing}
      ${closed
        ? html`<div class="expired">
            ${keyed(this.expiredAttempts, html`<p role="alert">${windowExpiredMessage()}</p>`)}
            <button class="primary" @click=${() => this.dispatchEvent(new OpenTemplatesEvent())}>${msg('Choose a template')}</button>
          </div>`
        : nothing}
    `;
  }

  private renderReferral(referral: Referral) {
    // The ad's link comes from Meta through the webhook: only an http(s) URL becomes a link.
    const link = referral.sourceUrl ? linkify(referral.sourceUrl).find((part) => part.href) : undefined;
    const freeEntry = this.freeEntryText();
    return html`<div class="referral" part="referral">
      <p>
        ${referral.headline ? msg(str`Came from an ad: ${referral.headline}`) : msg('Came from an ad')}
        ${link ? html`<a href=${link.href!} target="_blank" rel="noopener noreferrer">${msg('View the ad')}</a>` : nothing}
      </p>
      ${freeEntry === null ? nothing : html`<p class="free-entry">${clockIcon}<span>${freeEntry}</span></p>`}
    </div>`;
  }

  /** Null: no free entry point to speak of (no reply opened it, and none can any more). */
  private freeEntryText(): string | null {
    if (this.freeEntryExpiresAt === null) {
      // The Ticker re-renders each second, so the promise goes the moment a reply can no longer keep it.
      if (this.freeEntryReplyBy === null || isWindowClosed(this.freeEntryReplyBy)) return null;
      const replyBy = formatDateTime(this.freeEntryReplyBy);
      return msg(str`Free entry point: 72 h of free messages start with your first reply before ${replyBy}.`);
    }
    const { closed, remainingMs } = replyWindow(this.freeEntryExpiresAt);
    return closed ? msg('Free entry point ended.') : msg(str`Free entry point: ${formatDuration(remainingMs)} left`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-window-banner': WcpWindowBanner;
  }
}
