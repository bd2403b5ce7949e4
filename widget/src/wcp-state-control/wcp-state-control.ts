import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import type { ConversationState, Disposition } from '@wcp/protocol';
import { ChangeStateEvent } from '../events/change-state-event.js';
import { WrapUpChangeEvent, type WrapUpDraft } from '../events/wrap-up-change-event.js';
import { canTransition, stateLabel } from '../lib/conversation-state.js';
import { deepActiveElement } from '../lib/focus.js';
import { CONVERSATION_STATES } from '../lib/protocol-values.js';
import { tokens } from '../styles/tokens.styles.js';
import { styles } from './wcp-state-control.styles.js';
import { wrapUpFields } from '../lib/wrap-up-fields.js';
import { formatTimeOrDateTime } from '../lib/time.js';

/**
 * The conversation's state (Open, Active, Waiting, Wrap-up, Closed) as a button group:
 * the current one pressed, only the valid next states enabled. At wrap-up, closing asks for
 * a disposition (and an optional summary), as the relay requires: a "Disposition" combobox,
 * a "Summary" textbox and a "Close conversation" button stand in for the Closed button.
 * The disposition and summary are the host's to keep (per conversation): a close the relay
 * refuses, or a look at another conversation, must not lose what the agent wrote. When the
 * relay will close a wrap-up left alone (`wrapUpEndsAt`), the form says at what time.
 * The button the agent pressed is disabled while the relay answers, so focus follows the
 * change: to "Disposition" at wrap-up, else to the current state's button (which stays
 * focusable, `aria-disabled`), rather than falling to the page.
 *
 * @fires {ChangeStateEvent} wcp-change-state - the agent picked a next state, or closed with a wrap-up
 * @fires {WrapUpChangeEvent} wcp-wrap-up-change - the disposition or summary changed
 * @csspart group - the button group
 * @csspart wrap-up - the disposition, summary and close button at wrap-up
 */
@localized()
@customElement('wcp-state-control')
export class WcpStateControl extends LitElement {
  static override styles = [tokens, styles];

  @property() state: ConversationState = 'active';
  @property({ type: Boolean }) busy = false;
  /** The relay's dispositions (GET /api/v1/dispositions). */
  @property({ attribute: false }) dispositions: readonly Disposition[] = [];

  /** The wrap-up's disposition id ('' until one is chosen). */
  @property() disposition = '';
  @property() summary = '';
  /** ISO moment, on this browser's clock, when the relay closes the wrap-up by itself; null: it never does. */
  @property({ attribute: 'wrap-up-ends-at' }) wrapUpEndsAt: string | null = null;

  /** The agent pressed a state button: focus goes where the change leads once the relay answered. */
  private followChange = false;

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.followChange || this.busy || !(changed.has('state') || changed.has('busy'))) return;
    this.followChange = false;
    // Unless the agent has gone on elsewhere in the meantime.
    const active = deepActiveElement();
    if (active && active !== document.body && !this.renderRoot.contains(active)) return;
    const target =
      this.state === 'wrapup'
        ? this.renderRoot.querySelector<HTMLElement>('.wrap-up select')
        : this.renderRoot.querySelector<HTMLElement>('[aria-pressed="true"]');
    target?.focus();
  }

  override render() {
    const wrappingUp = this.state === 'wrapup';
    return html`<div role="group" aria-label=${msg('Conversation state')} part="group">
        ${CONVERSATION_STATES.map((state) => {
          const current = state === this.state;
          // At wrap-up, closing goes through the form below: it needs a disposition.
          const viaForm = wrappingUp && state === 'closed';
          return html`<button
            aria-pressed=${String(current)}
            aria-disabled=${current ? 'true' : 'false'}
            ?disabled=${!current && (viaForm || this.busy || !canTransition(this.state, state))}
            @click=${() => this.change(state)}
          >
            ${stateLabel(state)}
          </button>`;
        })}
      </div>
      ${wrappingUp ? this.renderWrapUp() : null}`;
  }

  private renderWrapUp() {
    return html`<form part="wrap-up" class="wrap-up" @submit=${this.close}>
      ${wrapUpFields({
        dispositions: this.dispositions,
        disposition: this.disposition,
        summary: this.summary,
        summaryRows: 2,
        onDisposition: (id) => this.changeWrapUp({ disposition: id }),
        onSummary: (text) => this.changeWrapUp({ summary: text }),
      })}
      ${this.wrapUpEndsAt
        ? html`<p class="ends" id="ends">${msg(str`Closes by itself at ${formatTimeOrDateTime(this.wrapUpEndsAt)} if you don't close it.`)}</p>`
        : nothing}
      <button type="submit" aria-describedby=${this.wrapUpEndsAt ? 'ends' : nothing} ?disabled=${this.busy || !this.disposition}>${msg('Close conversation')}</button>
    </form>`;
  }

  private change(state: ConversationState): void {
    if (state === this.state) return;
    this.followChange = true;
    this.dispatchEvent(new ChangeStateEvent(state));
  }

  private close(event: SubmitEvent): void {
    event.preventDefault();
    if (!this.disposition) return;
    // The fields stay until the host hears the close succeeded: a refusal must not wipe them.
    this.dispatchEvent(new ChangeStateEvent('closed', { disposition: this.disposition, summary: this.summary.trim() || null }));
  }

  private changeWrapUp(change: Partial<WrapUpDraft>): void {
    const wrapUp = { disposition: this.disposition, summary: this.summary, ...change };
    this.disposition = wrapUp.disposition;
    this.summary = wrapUp.summary;
    this.dispatchEvent(new WrapUpChangeEvent(wrapUp));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-state-control': WcpStateControl;
  }
}
