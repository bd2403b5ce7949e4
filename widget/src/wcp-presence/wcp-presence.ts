import { html, LitElement } from 'lit';
import { localized, msg } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import type { Presence } from '@wcp/protocol';
import { ChangePresenceEvent } from '../events/change-presence-event.js';
import { presenceLabel } from '../lib/conversation-state.js';
import { PRESENCES } from '../lib/protocol-values.js';
import { tokens } from '../styles/tokens.styles.js';
import { styles } from './wcp-presence.styles.js';

/**
 * The agent's presence as a native select labelled "Presence" (a combobox whose name,
 * like its visible label, starts with "Presence").
 *
 * @fires {ChangePresenceEvent} wcp-change-presence - the agent picked another presence
 * @csspart select - the select element
 */
@localized()
@customElement('wcp-presence')
export class WcpPresence extends LitElement {
  static override styles = [tokens, styles];
  /** focus() on the element focuses its select. */
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  @property() presence: Presence = 'offline';
  @property({ type: Boolean }) busy = false;

  override render() {
    return html`
      <span class="dot ${this.presence}" aria-hidden="true"></span>
      <label for="presence">${msg('Presence')}</label>
      <select id="presence" part="select" ?disabled=${this.busy} @change=${this.onChange}>
        ${PRESENCES.map(
          (presence) => html`<option value=${presence} .selected=${presence === this.presence}>${presenceLabel(presence)}</option>`,
        )}
      </select>
    `;
  }

  // Options are bound with `.selected` (the property): once the agent has used the select,
  // the `selected` attribute no longer changes which option shows.
  private onChange(event: Event) {
    const select = event.target as HTMLSelectElement;
    const presence = select.value as Presence;
    select.value = this.presence;
    this.dispatchEvent(new ChangePresenceEvent(presence));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-presence': WcpPresence;
  }
}
