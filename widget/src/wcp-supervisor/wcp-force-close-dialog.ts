import { html } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, state } from 'lit/decorators.js';
import type { Disposition } from '@wcp/protocol';
import { tokens } from '../styles/tokens.styles.js';
import { ModalDialog } from './modal-dialog.js';
import { dialogStyles } from '../styles/dialog.styles.js';
import { supervisorDialogStyles } from './supervisor-dialog.styles.js';
import { ForceCloseEvent } from './supervisor-events.js';
import { wrapUpFields } from '../lib/wrap-up-fields.js';

/**
 * "Force close conversation": a supervisor closes a conversation from any state, with a
 * disposition from the relay's list (required) and an optional summary, as at wrap-up.
 *
 * @fires {ForceCloseEvent} wcp-force-close - the disposition and summary
 * @fires {DialogDismissEvent} wcp-dialog-dismiss - Cancel or Escape
 */
@localized()
@customElement('wcp-force-close-dialog')
export class WcpForceCloseDialog extends ModalDialog {
  static override styles = [tokens, dialogStyles, supervisorDialogStyles];

  @property() conversationId = '';
  @property() customer = '';
  /** GET /api/v1/dispositions. */
  @property({ attribute: false }) dispositions: readonly Disposition[] = [];
  @property({ type: Boolean }) busy = false;
  @property() error = '';

  @state() private disposition = '';
  @state() private summary = '';

  override render() {
    return html`<dialog aria-labelledby="title" @cancel=${this.onCancel}>
      <h2 id="title">${msg(str`Force close conversation with ${this.customer}`)}</h2>
      <form @submit=${this.submit}>
        ${wrapUpFields({
          dispositions: this.dispositions,
          disposition: this.disposition,
          summary: this.summary,
          summaryRows: 3,
          onDisposition: (id) => (this.disposition = id),
          onSummary: (text) => (this.summary = text),
        })}
        ${this.error ? html`<p role="alert">${this.error}</p>` : null}
        <div class="actions">
          <button type="button" @click=${this.dismiss}>${msg('Cancel')}</button>
          <button type="submit" ?disabled=${this.busy || !this.disposition}>${msg('Close conversation')}</button>
        </div>
      </form>
    </dialog>`;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    if (!this.disposition) return;
    this.dispatchEvent(new ForceCloseEvent(this.conversationId, { disposition: this.disposition, summary: this.summary.trim() || null }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-force-close-dialog': WcpForceCloseDialog;
  }
}
