import { html, type PropertyValues } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, state } from 'lit/decorators.js';
import type { SupervisorOverview } from '@wcp/protocol';
import { presenceLabel } from '../lib/conversation-state.js';
import { refocusAfterBusy } from '../lib/focus.js';
import { tokens } from '../styles/tokens.styles.js';
import { ModalDialog } from './modal-dialog.js';
import { dialogStyles } from '../styles/dialog.styles.js';
import { supervisorDialogStyles } from './supervisor-dialog.styles.js';
import { AssignEvent } from './supervisor-events.js';

type OverviewAgent = SupervisorOverview['agents'][number];

/**
 * "Assign conversation": the supervisor picks the agent to offer an open conversation to.
 * Every agent is listed with presence and load; whether one can take it is the relay's rule
 * (a refusal comes back as `error`, shown in the dialog).
 *
 * @fires {AssignEvent} wcp-assign - the chosen agent
 * @fires {DialogDismissEvent} wcp-dialog-dismiss - Cancel or Escape
 */
@localized()
@customElement('wcp-assign-dialog')
export class WcpAssignDialog extends ModalDialog {
  static override styles = [tokens, dialogStyles, supervisorDialogStyles];

  @property() conversationId = '';
  /** Who the conversation is with, for the heading. */
  @property() customer = '';
  @property({ attribute: false }) agents: readonly OverviewAgent[] = [];
  @property({ type: Boolean }) busy = false;
  /** Why the relay refused, in plain words. */
  @property() error = '';

  @state() private agentId = '';

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    refocusAfterBusy(this.shadowRoot, changed.get('busy'), this.busy);
  }

  override render() {
    return html`<dialog aria-labelledby="title" @cancel=${this.onCancel}>
      <h2 id="title">${msg(str`Assign conversation with ${this.customer}`)}</h2>
      <form @submit=${this.submit}>
        <label
          >${msg('Agent')}
          <select required .value=${this.agentId} @change=${(e: Event) => (this.agentId = (e.target as HTMLSelectElement).value)}>
            <option value="">${msg('Choose…')}</option>
            ${this.agents.map(
              (a) =>
                html`<option value=${a.id} ?selected=${a.id === this.agentId}>
                  ${msg(str`${a.name} (${presenceLabel(a.presence)}, ${a.load} of ${a.capacity})`)}
                </option>`,
            )}
          </select>
        </label>
        ${this.error ? html`<p role="alert">${this.error}</p>` : null}
        <div class="actions">
          <button type="button" @click=${this.dismiss}>${msg('Cancel')}</button>
          <button type="submit" ?disabled=${this.busy || !this.agentId}>${msg('Assign')}</button>
        </div>
      </form>
    </dialog>`;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.agentId) this.dispatchEvent(new AssignEvent(this.conversationId, this.agentId));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-assign-dialog': WcpAssignDialog;
  }
}
