import type { CrmRecordRef } from '../ports/crm-port.js';

/** The agent wants the conversation's linked record unlinked. */
export class UnlinkRecordEvent extends Event {
  static readonly eventName = 'wcp-unlink-record';
  constructor(readonly record: CrmRecordRef) {
    super(UnlinkRecordEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-unlink-record': UnlinkRecordEvent;
  }
}
