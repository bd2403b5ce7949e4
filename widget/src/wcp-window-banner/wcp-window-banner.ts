import { html, LitElement, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import { OpenTemplatesEvent } from '../events/open-templates-event.js';
import { replyWindow, windowExpiredMessage } from '../lib/reply-window.js';
import { Ticker } from '../lib/ticker.js';
import { formatClock, formatDuration } from '../lib/time.js';
import { tokens } from '../styles/tokens.styles.js';
import { blockedIcon, clockIcon } from '../lib/icons.js';
import { styles } from './wcp-window-banner.styles.js';

/**
 * WhatsApp's 24-hour customer-service window: a live countdown to `windowExpiresAt`,
 * warning styling in the last hour. When `expiredAttempt` is set (the agent tried a
 * free-form send after it closed) it shows the exact alert and offers a template.
 *
 * @fires {OpenTemplatesEvent} wcp-open-templates - "Choose a template" pressed
 * @csspart status - the countdown line
 * @cssprop --wcp-color-warning - last-hour text
 * @cssprop --wcp-color-danger - closed-window text
 */
@localized()
@customElement('wcp-window-banner')
export class WcpWindowBanner extends LitElement {
  static override styles = [tokens, styles];

  /** ISO end of the window; null before the customer ever wrote. */
  @property({ attribute: 'window-expires-at' }) windowExpiresAt: string | null = null;
  @property({ type: Boolean, attribute: 'expired-attempt' }) expiredAttempt = false;

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
      ${closed && this.expiredAttempt
        ? html`<div class="expired">
            <p role="alert">${windowExpiredMessage()}</p>
            <button class="primary" @click=${() => this.dispatchEvent(new OpenTemplatesEvent())}>${msg('Choose a template')}</button>
          </div>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-window-banner': WcpWindowBanner;
  }
}
