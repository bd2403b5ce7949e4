import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { localized, msg } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import type { Conversation, Customer, RecordRef } from '@wcp/protocol';
import type { CrmContact } from '../../ports/crm-port.js';
import { OpenConversationEvent } from '../../events/index.js';
import type { SentimentResult } from '../sentiment/sentiment.js';
import { formatDateTime, stateLabel } from '../shared/format.js';
import { dispositionLabel } from '../../lib/dispositions.js';
import { linkedRecordCard, linkedRecordStyles } from '../shared/linked-record.js';
import { sideTheme } from '../shared/theme.styles.js';
import '../wcp-sentiment/wcp-sentiment.js';
import { customerSummaryStyles } from './wcp-customer-summary.styles.js';
import { phoneText } from '../../lib/phone-html.js';

/**
 * Who the agent is talking to: the CRM contact (authenticated: the WhatsApp number matches
 * exactly one contact) or "Unknown customer", the WhatsApp profile, the current sentiment,
 * the linked record (Open, Unlink) and the customer's previous conversations.
 *
 * @fires {OpenRecordEvent} wcp-open-record - the linked record
 * @fires {UnlinkRecordEvent} wcp-unlink-record - the linked record
 * @fires {OpenConversationEvent} wcp-open-conversation - a previous conversation
 * @csspart linked-record - the linked record card
 * @csspart previous - the list of previous conversations
 * @cssprop --wcp-color-success - the "Authenticated" mark
 */
@localized()
@customElement('wcp-customer-summary')
export class CustomerSummaryElement extends LitElement {
  static override styles = [sideTheme, linkedRecordStyles, customerSummaryStyles];

  @property({ attribute: false }) customer: Customer | null = null;
  /** The one CRM contact matching the number; null = unknown (unauthenticated) customer. */
  @property({ attribute: false }) contact: CrmContact | null = null;
  @property({ attribute: false }) previousConversations: Conversation[] = [];
  /** Left out of the previous conversations. */
  @property() currentConversationId: string | null = null;
  @property({ attribute: false }) linkedRecord: RecordRef | null = null;
  @property({ attribute: false }) sentiment: SentimentResult | null = null;
  /** The newest customer message the sentiment counts (wcp-sentiment announces when it moves on). */
  @property({ attribute: false }) sentimentBasis: string | null = null;

  override render() {
    return html`
      <section aria-labelledby="customer-heading">
        <h2 id="customer-heading">${msg('Customer')}</h2>
        ${this.contact ? this.renderContact(this.contact) : this.renderUnknown()}
      </section>
      <section aria-labelledby="whatsapp-heading">
        <h2 id="whatsapp-heading">WhatsApp</h2>
        <dl>
          <dt>${msg('Profile name')}</dt>
          <dd dir="auto">${this.customer?.profileName || '—'}</dd>
          <dt>${msg('Number')}</dt>
          <dd>${this.customer ? phoneText(this.customer.phone) : '—'}</dd>
        </dl>
      </section>
      <section aria-labelledby="sentiment-heading">
        <h2 id="sentiment-heading">${msg('Sentiment')}</h2>
        <wcp-sentiment .sentiment=${this.sentiment} .basis=${this.sentimentBasis}></wcp-sentiment>
      </section>
      <section aria-labelledby="linked-heading">
        <h2 id="linked-heading">${msg('Linked record')}</h2>
        ${this.linkedRecord ? linkedRecordCard(this, this.linkedRecord) : html`<p class="empty">${msg('No linked record.')}</p>`}
      </section>
      <section aria-labelledby="previous-heading">
        <h2 id="previous-heading">${msg('Previous conversations')}</h2>
        ${this.renderPrevious()}
      </section>
    `;
  }

  private renderContact(contact: CrmContact) {
    return html`<p class="who">
        <span dir="auto">${contact.fullName}</span>
        <span class="auth">
          <svg viewBox="0 0 12 12" aria-hidden="true"><path d="M2 6.5 5 9.5 10 3" fill="none" stroke="currentColor" stroke-width="1.8"></path></svg>
          ${msg('Authenticated')}
        </span>
      </p>
      <dl>
        ${detail(msg('Mobile phone'), contact.phone && phoneText(contact.phone))} ${detail(msg('Email'), contact.email)} ${detail(msg('Account'), contact.accountName)}
        ${detail(msg('City'), contact.city)}
      </dl>`;
  }

  private renderUnknown() {
    return html`<p class="who"><span>${msg('Unknown customer')}</span><span class="auth no">${msg('Not authenticated')}</span></p>
      <p class="subtle">${msg('The WhatsApp number does not match exactly one CRM contact. Link or create a record under Records.')}</p>`;
  }

  private renderPrevious() {
    const previous = this.previousConversations
      .filter((c) => c.id !== this.currentConversationId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    if (previous.length === 0) return html`<p class="empty">${msg('No previous conversations.')}</p>`;
    return html`<ul part="previous" class="previous stack" aria-labelledby="previous-heading">
      ${previous.map(
        (c) => html`<li>
          <button type="button" @click=${() => this.dispatchEvent(new OpenConversationEvent(c.id))}>
            <span><time datetime=${c.createdAt}>${formatDateTime(c.createdAt)}</time></span>
            <span class="subtle"
              >${stateLabel(c.state)}${c.disposition ? html` · ${dispositionLabel(c.disposition)}` : nothing}${c.summary
                ? html` · <span dir="auto">${c.summary}</span>`
                : nothing}${c.linkedRecord ? html` · ${c.linkedRecord.name}` : nothing}</span
            >
          </button>
        </li>`,
      )}
    </ul>`;
  }
}

function detail(term: string, value: string | TemplateResult | undefined) {
  return value ? html`<dt>${term}</dt><dd>${value}</dd>` : nothing;
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-customer-summary': CustomerSummaryElement;
  }
}
