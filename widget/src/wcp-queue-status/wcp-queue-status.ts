import { html, LitElement, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import type { Queue } from '@wcp/protocol';
import { tokens } from '../styles/tokens.styles.js';
import { styles } from './wcp-queue-status.styles.js';

/**
 * The agent's queues and how many conversations wait in each, compact, for the panel's header.
 * A list named "Your queues"; each item reads e.g. "General: 2 waiting".
 *
 * @csspart list - the list of queues
 */
@localized()
@customElement('wcp-queue-status')
export class WcpQueueStatus extends LitElement {
  static override styles = [tokens, styles];

  @property({ attribute: false }) queues: readonly Queue[] = [];

  override render() {
    if (!this.queues.length) return nothing;
    return html`<ul part="list" aria-label=${msg('Your queues')}>
      ${this.queues.map(
        (q) => html`<li class=${q.waiting > 0 ? 'busy' : ''} data-queue-id=${q.id}>${msg(str`${q.name}: ${q.waiting} waiting`)}</li>`,
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-queue-status': WcpQueueStatus;
  }
}
