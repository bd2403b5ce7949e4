import { html, LitElement, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import type { Conversation, Message, Transfer } from '@wcp/protocol';
import type { CrmContact } from '../ports/crm-port.js';
import { AcceptOfferEvent } from '../events/accept-offer-event.js';
import { RejectOfferEvent } from '../events/reject-offer-event.js';
import { Ticker } from '../lib/ticker.js';
import { formatClock } from '../lib/time.js';
import { tokens } from '../styles/tokens.styles.js';
import { styles } from './wcp-incoming.styles.js';
import { phoneText } from '../lib/phone-html.js';

/**
 * Notification of an offered WhatsApp conversation, with a countdown to the offer's expiry.
 * An authenticated customer (exactly one CRM contact matches the number) shows the contact
 * name and an "Authenticated" mark; otherwise the WhatsApp profile name and the number.
 * A transferred conversation says who transferred it ("Transferred by …") and their note.
 *
 * @fires {AcceptOfferEvent} wcp-accept-offer - the agent accepts
 * @fires {RejectOfferEvent} wcp-reject-offer - the agent rejects
 * @csspart card - the notification box
 * @cssprop --wcp-color-brand - accent and Accept button
 */
@localized()
@customElement('wcp-incoming')
export class WcpIncoming extends LitElement {
  static override styles = [tokens, styles];

  @property({ attribute: false }) conversation: Conversation | null = null;
  @property({ attribute: false }) firstMessage: Message | null = null;
  /** The matching CRM contact when exactly one matches; null for an unknown customer. */
  @property({ attribute: false }) contact: CrmContact | null = null;
  /** Who handed the conversation over, and why, when it was transferred. */
  @property({ attribute: false }) transfer: Transfer | null = null;
  /** True while the panel is answering the offer. */
  @property({ type: Boolean }) busy = false;

  constructor() {
    super();
    new Ticker(this);
  }

  override render() {
    const conversation = this.conversation;
    if (!conversation) return nothing;
    const expiresAt = conversation.offer ? Date.parse(conversation.offer.expiresAt) : NaN;
    const remaining = expiresAt - Date.now();
    const expired = Number.isFinite(remaining) && remaining <= 0;
    const { phone, profileName } = conversation.customer;
    const name = this.contact?.fullName ?? profileName ?? phone;
    return html`
      <section
        class="card"
        part="card"
        role="alertdialog"
        aria-label=${msg('Incoming WhatsApp conversation')}
        aria-describedby=${this.transfer ? 'transfer customer first-message' : 'customer first-message'}
      >
        <h2>${msg('Incoming WhatsApp conversation')}</h2>
        ${this.transfer
          ? html`<div class="transfer" id="transfer">
              <p class="transferred-by">${msg(str`Transferred by ${this.transfer.fromAgentName}`)}</p>
              ${this.transfer.note ? html`<p class="transfer-note">${this.transfer.note}</p>` : nothing}
            </div>`
          : nothing}
        <div id="customer">
          <div class="customer">
            <span class="name">${name}</span>
            ${this.contact ? html`<span class="authenticated">${msg('Authenticated')}</span>` : nothing}
          </div>
          <div class="phone">${this.contact || profileName ? phoneText(phone) : msg('Unknown customer')}</div>
        </div>
        ${this.firstMessage?.body
          ? html`<p class="first-message" id="first-message" dir="auto">${this.firstMessage.body}</p>`
          : html`<p class="first-message" id="first-message">${this.firstMessage?.media.length ? msg('Sent an attachment') : msg('No message yet')}</p>`}
        <div class="countdown">
          ${Number.isFinite(remaining) ? (expired ? msg('Offer expired') : msg(str`Expires in ${formatClock(remaining)}`)) : nothing}
        </div>
        <div class="actions">
          <button class="primary" ?disabled=${this.busy || expired} @click=${this.accept}>${msg('Accept')}</button>
          <button ?disabled=${this.busy} @click=${this.reject}>${msg('Reject')}</button>
        </div>
      </section>
    `;
  }

  /** Focus goes to the offer's first action (Accept, or Reject once it expired). */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLButtonElement>('.actions button:not([disabled])')?.focus(options);
  }

  private accept() {
    if (this.conversation) this.dispatchEvent(new AcceptOfferEvent(this.conversation.id));
  }

  private reject() {
    if (this.conversation) this.dispatchEvent(new RejectOfferEvent(this.conversation.id));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-incoming': WcpIncoming;
  }
}
