import type { CrmRecordRef } from '../../ports/crm-port.js';

/** The agent wants the conversation's linked record unlinked. */
export class UnlinkRecordEvent extends Event {
  static readonly type = 'wcp-unlink-record';
  constructor(readonly record: CrmRecordRef) {
    super(UnlinkRecordEvent.type, { bubbles: true, composed: true });
  }
}
