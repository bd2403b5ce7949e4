import type { CrmRecordRef } from '../ports/crm-port.js';

/** The agent wants this record linked to the conversation. */
export class LinkRecordEvent extends Event {
  static readonly eventName = 'wcp-link-record';
  constructor(readonly record: CrmRecordRef) {
    super(LinkRecordEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-link-record': LinkRecordEvent;
  }
}
