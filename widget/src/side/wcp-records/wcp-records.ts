import { LitElement, html, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Customer, RecordRef } from '@wcp/protocol';
import type { CrmContact, CrmEntityType, CrmRecordRef, CrmSearchResult } from '../../ports/crm-port.js';
import { CreateRecordEvent, LinkRecordEvent, OpenRecordEvent, RecordSearchEvent } from '../../events/index.js';
import { entityLabel } from '../shared/format.js';
import { linkedRecordCard, linkedRecordStyles } from '../shared/linked-record.js';
import { sideTheme } from '../shared/theme.styles.js';
import { searchForm } from '../shared/search-form.js';
import { recordsStyles } from './wcp-records.styles.js';
import {
  caseDraftFrom,
  contactDraftFrom,
  newCase,
  newContact,
  type CaseDraft,
  type ContactDraft,
} from './prefill.js';

const ALL_TYPES: CrmEntityType[] = ['contact', 'account', 'incident'];
const TYPE_OPTIONS: { value: string; label: () => string; types: CrmEntityType[] }[] = [
  { value: 'all', label: () => msg('All records'), types: ALL_TYPES },
  { value: 'contact', label: () => msg('Contacts'), types: ['contact'] },
  { value: 'account', label: () => msg('Accounts'), types: ['account'] },
  { value: 'incident', label: () => msg('Cases'), types: ['incident'] },
];

type CreateMode = 'contact' | 'incident' | null;

/**
 * CRM records for the conversation: the linked record (Open, Unlink), record search with
 * "Link" on each result, and "New contact" / "New case" forms prefilled from the WhatsApp
 * customer. Escape closes a form and returns focus to the button that opened it.
 *
 * @fires {RecordSearchEvent} wcp-record-search - search records: `query`, `entityTypes`
 * @fires {LinkRecordEvent} wcp-link-record - the chosen result
 * @fires {UnlinkRecordEvent} wcp-unlink-record - the linked record
 * @fires {OpenRecordEvent} wcp-open-record - a result or the linked record
 * @fires {CreateRecordEvent} wcp-create-record - the new contact/case and whether to link it
 * @csspart linked-record - the linked record card
 * @csspart results - the result list
 * @cssprop --wcp-color-brand - accent colour
 */
@localized()
@customElement('wcp-records')
export class RecordsElement extends LitElement {
  static override styles = [sideTheme, linkedRecordStyles, recordsStyles];

  /** The WhatsApp customer (phone, profile name): prefills new records. */
  @property({ attribute: false }) customer: Customer | null = null;
  /** The matched CRM contact, if any: the customer of a new case. */
  @property({ attribute: false }) contact: CrmContact | null = null;
  @property({ attribute: false }) linkedRecord: RecordRef | null = null;
  @property({ attribute: false }) results: CrmSearchResult[] = [];
  @property({ type: Boolean }) busy = false;
  @property() error = '';

  @state() private queryText = '';
  @state() private typeFilter = 'all';
  @state() private searched = false;
  @state() private createMode: CreateMode = null;
  @state() private contactDraft: ContactDraft = contactDraftFrom(null);
  @state() private caseDraft: CaseDraft = caseDraftFrom(null, null);
  @state() private linkAfterCreate = true;

  @query('#new-contact') private newContactButton!: HTMLButtonElement;
  @query('#new-case') private newCaseButton!: HTMLButtonElement;

  override render() {
    return html`
      <section aria-labelledby="linked-heading">
        <h2 id="linked-heading">${msg('Linked record')}</h2>
        ${this.linkedRecord
          ? linkedRecordCard(this, this.linkedRecord)
          : html`<p class="empty">${msg('No record is linked to this conversation.')}</p>`}
      </section>
      <section aria-labelledby="search-heading">
        <h2 id="search-heading">${msg('Find a record')}</h2>
        ${searchForm({
          name: msg('Records'),
          label: msg('Search records'),
          inputId: 'record-query',
          query: this.queryText,
          busy: this.busy,
          onQuery: (text) => (this.queryText = text),
          onSubmit: (e) => this.onSearch(e),
          extra: html`<div>
            <label for="record-type">${msg('Record type')}</label>
            <select id="record-type" @change=${(e: Event) => (this.typeFilter = (e.target as HTMLSelectElement).value)}>
              ${TYPE_OPTIONS.map((o) => html`<option value=${o.value} .selected=${o.value === this.typeFilter}>${o.label()}</option>`)}
            </select>
          </div>`,
        })}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div aria-live="polite">${this.renderResults()}</div>
      </section>
      <section aria-labelledby="create-heading">
        <h2 id="create-heading">${msg('Create a record')}</h2>
        <div class="actions">
          <button id="new-contact" type="button" aria-expanded=${this.createMode === 'contact'} @click=${() => this.openCreate('contact')}>
            ${msg('New contact')}
          </button>
          <button id="new-case" type="button" aria-expanded=${this.createMode === 'incident'} @click=${() => this.openCreate('incident')}>
            ${msg('New case')}
          </button>
        </div>
        ${this.createMode === 'contact' ? this.renderContactForm() : nothing}
        ${this.createMode === 'incident' ? this.renderCaseForm() : nothing}
      </section>
    `;
  }

  private renderResults() {
    if (this.busy) return html`<p class="subtle">${msg('Searching…')}</p>`;
    if (!this.searched) return nothing;
    if (this.results.length === 0) return html`<p class="empty">${msg('No records found.')}</p>`;
    return html`<ul part="results" class="stack" aria-label=${msg('Record search results')}>
      ${this.results.map((r) => {
        const isLinked = this.linkedRecord?.id === r.id && this.linkedRecord.entityType === r.entityType;
        return html`<li class="card result">
          <div class="what">
            <div><span class="badge">${entityLabel(r.entityType)}</span><span class="name">${r.name}</span></div>
            ${r.subtitle ? html`<div class="subtle">${r.subtitle}</div>` : nothing}
          </div>
          <div class="actions">
            <button type="button" aria-label=${msg(str`Open ${r.name}`)} @click=${() => this.dispatchEvent(new OpenRecordEvent(ref(r)))}>
              ${msg('Open')}
            </button>
            <button
              type="button"
              class="primary"
              aria-label=${isLinked ? msg(str`${r.name} is linked`) : msg(str`Link ${r.name}`)}
              ?disabled=${isLinked}
              @click=${() => this.dispatchEvent(new LinkRecordEvent(ref(r)))}
            >
              ${isLinked ? msg('Linked') : msg('Link')}
            </button>
          </div>
        </li>`;
      })}
    </ul>`;
  }

  private renderContactForm() {
    const d = this.contactDraft;
    const set = (key: keyof ContactDraft) => (e: Event) =>
      (this.contactDraft = { ...this.contactDraft, [key]: (e.target as HTMLInputElement).value });
    return html`<form @submit=${this.onCreate} @keydown=${this.onFormKeydown}>
      <fieldset>
        <legend>${msg('New contact')}</legend>
        ${this.field('firstname', msg('First name'), d.firstname, set('firstname'))}
        ${this.field('lastname', msg('Last name'), d.lastname, set('lastname'), true)}
        ${this.field('mobilephone', msg('Mobile phone'), d.mobilephone, set('mobilephone'), false, 'tel')}
        ${this.field('emailaddress1', msg('Email'), d.emailaddress1, set('emailaddress1'), false, 'email')}
        ${this.linkCheckbox()}
        <div class="actions">
          <button type="submit" class="primary" ?disabled=${d.lastname.trim() === ''}>${msg('Create contact')}</button>
          <button type="button" @click=${this.closeCreate}>${msg('Cancel')}</button>
        </div>
      </fieldset>
    </form>`;
  }

  private renderCaseForm() {
    const d = this.caseDraft;
    const customerRecord = this.caseCustomer();
    return html`<form @submit=${this.onCreate} @keydown=${this.onFormKeydown}>
      <fieldset>
        <legend>${msg('New case')}</legend>
        ${this.field('title', msg('Case title'), d.title, (e: Event) => (this.caseDraft = { ...d, title: (e.target as HTMLInputElement).value }), true)}
        <div class="field">
          <label for="new-description">${msg('Description')}</label>
          <textarea
            id="new-description"
            .value=${d.description}
            @input=${(e: Event) => (this.caseDraft = { ...this.caseDraft, description: (e.target as HTMLTextAreaElement).value })}
          ></textarea>
        </div>
        <p class="subtle">${customerRecord ? msg(str`Customer: ${customerRecord.name}`) : msg('Customer: none (link or create a contact first to set one)')}</p>
        ${this.linkCheckbox()}
        <div class="actions">
          <button type="submit" class="primary" ?disabled=${d.title.trim() === ''}>${msg('Create case')}</button>
          <button type="button" @click=${this.closeCreate}>${msg('Cancel')}</button>
        </div>
      </fieldset>
    </form>`;
  }

  private field(
    name: string,
    label: string,
    value: string,
    onInput: (e: Event) => void,
    required = false,
    type = 'text',
  ) {
    return html`<div class="field">
      <label for=${`new-${name}`}>${label}${required ? html`<span aria-hidden="true"> *</span>` : nothing}</label>
      <input id=${`new-${name}`} name=${name} type=${type} .value=${value} ?required=${required} @input=${onInput} />
    </div>`;
  }

  private linkCheckbox() {
    return html`<label class="check">
      <input
        type="checkbox"
        .checked=${this.linkAfterCreate}
        @change=${(e: Event) => (this.linkAfterCreate = (e.target as HTMLInputElement).checked)}
      />
      ${msg('Link to this conversation')}
    </label>`;
  }

  /** A case belongs to the matched contact, else to a linked contact or account. */
  private caseCustomer(): CrmRecordRef | null {
    if (this.contact) return { entityType: 'contact', id: this.contact.id, name: this.contact.fullName };
    const linked = this.linkedRecord;
    return linked && (linked.entityType === 'contact' || linked.entityType === 'account') ? linked : null;
  }

  private async openCreate(mode: Exclude<CreateMode, null>) {
    if (this.createMode === mode) {
      this.closeCreate();
      return;
    }
    this.createMode = mode;
    this.linkAfterCreate = true;
    if (mode === 'contact') this.contactDraft = contactDraftFrom(this.customer);
    else this.caseDraft = caseDraftFrom(this.customer, this.contact);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('fieldset input')?.focus();
  }

  private closeCreate = async () => {
    const opener = this.createMode === 'incident' ? this.newCaseButton : this.newContactButton;
    this.createMode = null;
    await this.updateComplete;
    opener.focus();
  };

  private onFormKeydown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      this.closeCreate();
    }
  }

  private onCreate(e: SubmitEvent) {
    e.preventDefault();
    const record =
      this.createMode === 'contact' ? newContact(this.contactDraft) : newCase(this.caseDraft, this.caseCustomer());
    this.dispatchEvent(new CreateRecordEvent(record, this.linkAfterCreate));
    this.closeCreate();
  }

  private onSearch(e: SubmitEvent) {
    e.preventDefault();
    const query = this.queryText.trim();
    if (!query) return;
    this.searched = true;
    const types = TYPE_OPTIONS.find((o) => o.value === this.typeFilter)?.types ?? ALL_TYPES;
    this.dispatchEvent(new RecordSearchEvent(query, [...types]));
  }
}

/** A search result without its display-only subtitle. */
function ref(result: CrmSearchResult): CrmRecordRef {
  return { entityType: result.entityType, id: result.id, name: result.name };
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-records': RecordsElement;
  }
}
