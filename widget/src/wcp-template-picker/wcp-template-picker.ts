import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { MessageTemplate } from '@wcp/protocol';
import { SendTemplateEvent } from '../events/send-template-event.js';
import { TemplatePickerCloseEvent } from '../events/template-picker-close-event.js';
import { deepActiveElement } from '../lib/focus.js';
import { optedOutNotice } from '../lib/opt-out.js';
import { renderTemplateBody, resolvePlaceholder, type PlaceholderContext } from '../lib/placeholders.js';
import { sendPricing, type SendPricing } from '../lib/pricing.js';
import { isTemplateSendable } from '../lib/protocol-values.js';
import { formatDay } from '../lib/time.js';
import { dialogSurfaceStyles } from '../styles/dialog.styles.js';
import { tokens } from '../styles/tokens.styles.js';
import { styles } from './wcp-template-picker.styles.js';
import { languageComma } from '../lib/comma.js';

/**
 * Modal dialog to send an approved WhatsApp template: pick one from the relay's catalogue,
 * edit its variables (prefilled from the customer, the CRM record and the agent), check the
 * live preview, Send. Escape or Cancel closes it and focus goes back where it came from.
 * Every template is listed with its category and approval status; only approved ones can be
 * chosen. It says whether the send is billable under WhatsApp's pricing (`lib/pricing.ts`),
 * that the list may be out of date (`stale`), and, while the customer has opted out, why
 * nothing can be sent.
 *
 * @fires {SendTemplateEvent} wcp-send-template - contentSid and the variable values
 * @fires {TemplatePickerCloseEvent} wcp-template-picker-close - the dialog closed
 * @csspart dialog - the dialog element
 */
@localized()
@customElement('wcp-template-picker')
export class WcpTemplatePicker extends LitElement {
  static override styles = [tokens, dialogSurfaceStyles, styles];

  /** The catalogue; null while it loads. */
  @property({ attribute: false }) templates: readonly MessageTemplate[] | null = null;
  @property({ attribute: false }) placeholderContext: PlaceholderContext = { customerName: '', agentName: '', record: {} };
  /** Preferred language (e.g. `en`); templates in it are listed, or all when none match. */
  @property() language = '';
  @property({ type: Boolean, reflect: true }) open = false;
  @property({ type: Boolean }) busy = false;
  @property() error = '';
  /** The relay served its last good list because Twilio's Content API failed. */
  @property({ type: Boolean }) stale = false;
  /** The customer-service window is open (a utility template is free inside it). */
  @property({ type: Boolean, attribute: 'inside-window' }) insideWindow = false;
  @property({ type: Boolean, attribute: 'opted-out' }) optedOut = false;
  /** When the send happens, for the pricing rule; null is now. */
  @property({ attribute: false }) sendDate: Date | null = null;

  @state() private selectedSid: string | null = null;
  @state() private values: Record<string, string> = {};

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('.actions button') private cancelButton!: HTMLButtonElement;
  private returnFocus: HTMLElement | null = null;

  /** Opens the dialog, remembering the focused element to return to. */
  show(): void {
    this.returnFocus = deepActiveElement();
    this.open = true;
  }

  close(): void {
    this.open = false;
  }

  private get listed(): readonly MessageTemplate[] {
    const all = this.templates ?? [];
    const lang = this.language.toLowerCase();
    const inLanguage = lang ? all.filter((t) => t.language.toLowerCase().startsWith(lang)) : [];
    return inLanguage.length > 0 ? inLanguage : all;
  }

  /** The chosen template, or the first one that can be sent. */
  private get selected(): MessageTemplate | undefined {
    return this.listed.find((t) => t.contentSid === this.selectedSid && isTemplateSendable(t)) ?? this.listed.find(isTemplateSendable);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.open || !this.selected) return;
    // Each opening fills the variables afresh from the conversation it is opened for: one picker
    // serves every session, and what was filled for another customer must not be sent to this one.
    const opened = changed.has('open');
    if (opened || (changed.has('templates') && this.selected.contentSid !== this.selectedSid)) this.select(this.selected);
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Opened while the list loaded, the dialog put focus on its first control, Cancel: once the
    // list is in, a keyboard user starts at the chosen template, as when it opens with the list.
    if (this.open && changed.has('templates') && changed.get('templates') === null && this.shadowRoot!.activeElement === this.cancelButton) {
      this.renderRoot.querySelector<HTMLInputElement>('input[name="template"]:checked')?.focus();
    }
    if (!changed.has('open')) return;
    if (this.open && !this.dialog.open) this.dialog.showModal();
    if (!this.open && this.dialog.open) this.dialog.close();
    if (!this.open && changed.get('open') === true) {
      this.returnFocus?.focus();
      this.returnFocus = null;
      this.dispatchEvent(new TemplatePickerCloseEvent());
    }
  }

  private select(template: MessageTemplate) {
    this.selectedSid = template.contentSid;
    this.values = Object.fromEntries(
      template.variables.map((variable) => [variable.key, resolvePlaceholder(variable.source, this.placeholderContext)]),
    );
  }

  override render() {
    const template = this.selected;
    const complete = !!template && template.variables.every((v) => (this.values[v.key] ?? '').trim() !== '');
    const pricing = template ? sendPricing(template.category, this.insideWindow, this.sendDate ?? new Date()) : null;
    return html`<dialog part="dialog" aria-labelledby="title" @cancel=${this.onCancel} @close=${() => (this.open = false)}>
      <h2 id="title">${msg('Choose a template')}</h2>
      ${this.optedOut ? html`<p class="opted-out" role="status">${optedOutNotice()}</p>` : nothing}
      ${this.stale ? html`<p class="stale" role="status">${msg('Template list may be out of date')}</p>` : nothing}
      ${this.templates === null
        ? html`<p class="empty" role="status">${msg('Loading templates…')}</p>`
        : this.listed.length === 0
          ? html`<p class="empty">${msg('No templates are available.')}</p>`
          : html`
              <fieldset>
                <legend>${msg('Template')}</legend>
                ${this.listed.map((t) => {
                  const sendable = isTemplateSendable(t);
                  // Read as one name, its parts apart ("follow_up, en, Marketing, Approved"; Chromium ran them together).
                  const spoken = html`<span class="spoken">${languageComma()}</span>`;
                  return html`<label class="choice ${sendable ? '' : 'unavailable'}">
                    <input type="radio" name="template" .checked=${t === template} ?disabled=${!sendable} @change=${() => this.select(t)} />
                    <span
                      >${t.name}${spoken}<small class="after-spoken">${t.language}</small>${t.category
                        ? html`<small class="category">${spoken}${categoryLabel(t.category)}</small>`
                        : nothing}${t.status ? html`<small class="status">${spoken}${statusLabel(t.status)}</small>` : nothing}</span
                    >
                  </label>`;
                })}
              </fieldset>
              ${template && template.variables.length > 0
                ? html`<fieldset>
                    <legend>${msg('Variables')}</legend>
                    ${template.variables.map(
                      (v) => html`<label class="field">
                        <span>${v.label}</span>
                        <input
                          type="text"
                          dir="auto"
                          .value=${this.values[v.key] ?? ''}
                          @input=${(e: InputEvent) => (this.values = { ...this.values, [v.key]: (e.target as HTMLInputElement).value })}
                        />
                      </label>`,
                    )}
                  </fieldset>`
                : nothing}
              ${template
                ? html`<h3 class="visually-hidden" id="preview-title">${msg('Preview')}</h3>
                    <p class="preview" dir="auto" aria-labelledby="preview-title" aria-live="polite">${renderTemplateBody(template.body, this.values)}</p>`
                : nothing}
              ${template && pricing ? html`<p class="pricing" id="pricing">${pricingText(template.category!, pricing)}</p>` : nothing}
            `}
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        <button @click=${this.close}>${msg('Cancel')}</button>
        <button
          class="primary"
          ?disabled=${!complete || this.busy || this.optedOut}
          aria-describedby=${template && pricing ? 'pricing' : nothing}
          @click=${this.send}
        >
          ${msg('Send')}
        </button>
      </div>
    </dialog>`;
  }

  private onCancel(event: Event) {
    event.preventDefault();
    this.close();
  }

  private send() {
    const template = this.selected;
    if (!template || this.optedOut) return;
    const variables = Object.fromEntries(template.variables.map((v) => [v.key, (this.values[v.key] ?? '').trim()]));
    this.dispatchEvent(new SendTemplateEvent(template.contentSid, variables));
  }
}

function categoryLabel(category: string): string {
  switch (category.toLowerCase()) {
    case 'utility':
      return msg('Utility');
    case 'marketing':
      return msg('Marketing');
    case 'authentication':
      return msg('Authentication');
    default:
      return category;
  }
}

function statusLabel(status: string): string {
  switch (status.toLowerCase()) {
    case 'approved':
      return msg('Approved');
    case 'pending':
      return msg('Pending approval');
    case 'rejected':
      return msg('Rejected');
    default:
      return msg(str`Not approved (${status})`);
  }
}

/** Whether this send is billable, and under which of WhatsApp's pricing rules. */
function pricingText(category: string, pricing: SendPricing): string {
  const since = formatDay(pricing.since);
  const kind = categoryLabel(category);
  switch (pricing.charge) {
    case 'free':
      return msg(str`Free: WhatsApp does not charge for this ${kind} template here (pricing since ${since}).`);
    case 'per-message':
      return msg(str`Billable: WhatsApp charges for each ${kind} template (pricing since ${since}).`);
    case 'per-conversation':
      return msg(str`Billable: it opens a charged 24-hour ${kind} conversation unless one is open (pricing since ${since}).`);
    case 'free-tier':
      return msg(str`Free within the monthly allowance, then billable (pricing since ${since}).`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-template-picker': WcpTemplatePicker;
  }
}
