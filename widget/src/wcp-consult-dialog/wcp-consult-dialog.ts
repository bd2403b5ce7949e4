import { html, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, state } from 'lit/decorators.js';
import type { AgentSummary } from '@wcp/protocol';
import { ConsultEvent } from '../events/consult-event.js';
import { presenceLabel } from '../lib/conversation-state.js';
import { PanelDialog } from '../lib/panel-dialog.js';
import { dialogStyles } from '../styles/dialog.styles.js';
import { tokens } from '../styles/tokens.styles.js';

/**
 * The "Consult an agent" dialog: invite a colleague to read the conversation and add notes
 * (it never writes to the customer, who does not see it). A native modal `<dialog>`: focus
 * stays inside, Escape or Cancel closes it, focus goes back to where it was opened from.
 * A consult needs no free capacity, so every colleague signed in can be chosen (an offline one
 * would never see it, and the relay refuses it); presence is shown.
 *
 * @fires {ConsultEvent} wcp-consult - the agent invited a colleague
 * @csspart dialog - the dialog element
 */
@localized()
@customElement('wcp-consult-dialog')
export class WcpConsultDialog extends PanelDialog {
  static override styles = [tokens, dialogStyles];

  /** Colleagues to choose from (the agent itself and those already consulting left out). */
  @property({ attribute: false }) agents: readonly AgentSummary[] = [];
  @property({ type: Boolean }) busy = false;
  /** Why the relay refused the last attempt, in plain words. */
  @property() error = '';

  @state() private agentId = '';

  protected reset(): void {
    this.agentId = '';
  }

  override render() {
    return html`<dialog part="dialog" aria-labelledby="title" @close=${this.onClose}>
      <h2 id="title">${msg('Consult an agent')}</h2>
      <form method="dialog" @submit=${this.submit}>
        <label
          >${msg('Agent')}
          <select required .value=${this.agentId} @change=${(e: Event) => (this.agentId = (e.target as HTMLSelectElement).value)}>
            <option value="">${msg('Choose a colleague…')}</option>
            ${this.agents.map(
              (a) =>
                html`<option value=${a.id} ?selected=${this.agentId === a.id} ?disabled=${a.presence === 'offline'}>${msg(str`${a.name} (${presenceLabel(a.presence)})`)}</option>`,
            )}
          </select>
        </label>
        <p class="hint">${msg('They can read this conversation and add notes. The customer does not see them.')}</p>
        ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button type="button" @click=${() => this.close()}>${msg('Cancel')}</button>
          <button type="submit" class="primary" ?disabled=${!this.agentId || this.busy}>${msg('Invite')}</button>
        </div>
      </form>
    </dialog>`;
  }

  private submit(event: SubmitEvent): void {
    // The dialog stays open until the relay accepts: the panel closes it, or shows why not.
    event.preventDefault();
    if (!this.agentId || this.busy) return;
    this.dispatchEvent(new ConsultEvent(this.agentId));
  }

}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-consult-dialog': WcpConsultDialog;
  }
}
