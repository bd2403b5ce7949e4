import { html, nothing, type PropertyValues } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, state } from 'lit/decorators.js';
import type { AgentSummary, Queue } from '@wcp/protocol';
import { TransferEvent, type TransferTarget } from '../events/transfer-event.js';
import { PanelDialog } from '../lib/panel-dialog.js';
import { refocusAfterBusy } from '../lib/focus.js';
import { presenceLabel } from '../lib/conversation-state.js';
import { formatCount } from '../lib/time.js';
import { dialogStyles } from '../styles/dialog.styles.js';
import { tokens } from '../styles/tokens.styles.js';
import { styles } from './wcp-transfer-dialog.styles.js';

/** The relay refuses a longer note (`400 invalid_request`). */
export const MAX_NOTE_LENGTH = 1000;

/**
 * The "Transfer conversation" dialog: hand the conversation to a colleague or to a queue, with
 * an optional note (up to 1,000 characters) that the target sees on the offer. A native modal
 * `<dialog>`: focus stays inside, Escape or Cancel closes it, and focus goes back to where it
 * was opened from. Colleagues who cannot take a conversation now (offline, away, at capacity)
 * are listed but cannot be chosen. The relay's refusal shows in the dialog (`error`).
 *
 * @fires {TransferEvent} wcp-transfer - the agent confirmed the transfer
 * @csspart dialog - the dialog element
 */
@localized()
@customElement('wcp-transfer-dialog')
export class WcpTransferDialog extends PanelDialog {
  static override styles = [tokens, dialogStyles, styles];

  /** Colleagues to choose from (the agent itself left out). */
  @property({ attribute: false }) agents: readonly AgentSummary[] = [];
  @property({ attribute: false }) queues: readonly Queue[] = [];
  @property({ type: Boolean }) busy = false;
  /** Why the relay refused the last attempt, in plain words. */
  @property() error = '';

  /** `agent:<id>` or `queue:<id>`; '' until chosen. */
  @state() private target = '';
  @state() private note = '';

  protected reset(): void {
    this.target = '';
    this.note = '';
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    refocusAfterBusy(this.shadowRoot, changed.get('busy'), this.busy);
  }

  override render() {
    const chosen = parseTarget(this.target);
    return html`<dialog part="dialog" aria-labelledby="title" @close=${this.onClose}>
      <h2 id="title">${msg('Transfer conversation')}</h2>
      <form method="dialog" @submit=${this.submit}>
        <label
          >${msg('Transfer to')}
          <select required .value=${this.target} @change=${(e: Event) => (this.target = (e.target as HTMLSelectElement).value)}>
            <option value="">${msg('Choose an agent or a queue…')}</option>
            ${this.agents.length
              ? html`<optgroup label=${msg('Agents')}>
                  ${this.agents.map(
                    (a) => html`<option value=${`agent:${a.id}`} ?disabled=${!a.available} ?selected=${this.target === `agent:${a.id}`}>
                      ${a.available ? a.name : msg(str`${a.name} (${presenceLabel(a.presence)}: cannot take a conversation now)`)}
                    </option>`,
                  )}
                </optgroup>`
              : nothing}
            ${this.queues.length
              ? html`<optgroup label=${msg('Queues')}>
                  ${this.queues.map(
                    (q) => html`<option value=${`queue:${q.id}`} ?selected=${this.target === `queue:${q.id}`}>${msg(str`${q.name} (${q.waiting} waiting)`)}</option>`,
                  )}
                </optgroup>`
              : nothing}
          </select>
        </label>
        <label
          >${msg('Note')}
          <textarea
            rows="3"
            maxlength=${MAX_NOTE_LENGTH}
            aria-describedby="note-count"
            .value=${this.note}
            @input=${(e: Event) => (this.note = (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </label>
        <!-- Outside the label: the textbox is named "Note" (DESIGN.md), the count describes it. -->
        <p class="hint count ${this.note.length >= MAX_NOTE_LENGTH ? 'full' : ''}" id="note-count">
          ${msg(str`${formatCount(this.note.length)} of ${formatCount(MAX_NOTE_LENGTH)} characters`)}
        </p>
        ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button type="button" @click=${() => this.close()}>${msg('Cancel')}</button>
          <button type="submit" class="primary" ?disabled=${!chosen || this.busy}>${msg('Transfer')}</button>
        </div>
      </form>
    </dialog>`;
  }

  private submit(event: SubmitEvent): void {
    // The dialog stays open until the relay accepts: the panel closes it, or shows why not.
    event.preventDefault();
    const target = parseTarget(this.target);
    if (!target || this.busy) return;
    this.dispatchEvent(new TransferEvent(target, this.note.trim() || null));
  }

}

function parseTarget(value: string): TransferTarget | null {
  const [kind, ...rest] = value.split(':');
  const id = rest.join(':');
  if (!id) return null;
  return kind === 'agent' ? { agentId: id } : kind === 'queue' ? { queueId: id } : null;
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-transfer-dialog': WcpTransferDialog;
  }
}
