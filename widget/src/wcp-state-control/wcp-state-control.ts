import { html, LitElement } from 'lit';
import { localized, msg } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import type { ConversationState } from '@wcp/protocol';
import { ChangeStateEvent } from '../events/change-state-event.js';
import { canTransition, stateLabel } from '../lib/conversation-state.js';
import { CONVERSATION_STATES } from '../lib/protocol-values.js';
import { tokens } from '../styles/tokens.styles.js';
import { styles } from './wcp-state-control.styles.js';

/**
 * The conversation's state (Open, Active, Waiting, Wrap-up, Closed) as a button group:
 * the current one pressed, only the valid next states enabled.
 *
 * @fires {ChangeStateEvent} wcp-change-state - the agent picked a next state
 * @csspart group - the button group
 */
@localized()
@customElement('wcp-state-control')
export class WcpStateControl extends LitElement {
  static override styles = [tokens, styles];

  @property() state: ConversationState = 'active';
  @property({ type: Boolean }) busy = false;

  override render() {
    return html`<div role="group" aria-label=${msg('Conversation state')} part="group">
      ${CONVERSATION_STATES.map((state) => {
        const current = state === this.state;
        return html`<button
          aria-pressed=${String(current)}
          ?disabled=${current || this.busy || !canTransition(this.state, state)}
          @click=${() => this.dispatchEvent(new ChangeStateEvent(state))}
        >
          ${stateLabel(state)}
        </button>`;
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-state-control': WcpStateControl;
  }
}
