import type { CrmRecordRef } from '../ports/crm-port.js';

/** The agent wants to open the record in the CRM. */
export class OpenRecordEvent extends Event {
  static readonly eventName = 'wcp-open-record';
  constructor(readonly record: CrmRecordRef) {
    super(OpenRecordEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-open-record': OpenRecordEvent;
  }
}
