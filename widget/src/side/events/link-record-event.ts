import type { CrmRecordRef } from '../../ports/crm-port.js';

/** The agent wants this record linked to the conversation. */
export class LinkRecordEvent extends Event {
  static readonly type = 'wcp-link-record';
  constructor(readonly record: CrmRecordRef) {
    super(LinkRecordEvent.type, { bubbles: true, composed: true });
  }
}
