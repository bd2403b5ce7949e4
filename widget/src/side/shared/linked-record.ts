import { msg, str } from '@lit/localize';
import { css, html } from 'lit';
import type { CrmRecordRef } from '../../ports/crm-port.js';
import { OpenRecordEvent, UnlinkRecordEvent } from '../../events/index.js';
import { entityLabel } from './format.js';

/** Styles for `linkedRecordCard` (and record names beside it). */
export const linkedRecordStyles = css`
  .name {
    font-weight: 600;
  }
  .linked {
    border-inline-start: 3px solid var(--_brand);
  }
`;

/** The conversation's linked record with "Open" and "Unlink"; the events come from `host`. */
export function linkedRecordCard(host: HTMLElement, record: CrmRecordRef) {
  return html`<div class="card linked" part="linked-record">
    <div><span class="badge">${entityLabel(record.entityType)}</span><span class="name">${record.name}</span></div>
    <div class="actions">
      <button type="button" aria-label=${msg(str`Open ${record.name}`)} @click=${() => host.dispatchEvent(new OpenRecordEvent(record))}>
        ${msg('Open')}
      </button>
      <button
        type="button"
        aria-label=${msg(str`Unlink ${record.name}`)}
        @click=${() => host.dispatchEvent(new UnlinkRecordEvent(record))}
      >
        ${msg('Unlink')}
      </button>
    </div>
  </div>`;
}
