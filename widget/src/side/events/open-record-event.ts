import type { CrmRecordRef } from '../../ports/crm-port.js';

/** The agent wants to open the record in the CRM. */
export class OpenRecordEvent extends Event {
  static readonly type = 'wcp-open-record';
  constructor(readonly record: CrmRecordRef) {
    super(OpenRecordEvent.type, { bubbles: true, composed: true });
  }
}
