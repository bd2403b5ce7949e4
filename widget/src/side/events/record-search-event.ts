import type { CrmEntityType } from '../../ports/crm-port.js';

/** The agent searched CRM records; answer with `recordResults`. */
export class RecordSearchEvent extends Event {
  static readonly type = 'wcp-record-search';
  constructor(
    readonly query: string,
    readonly entityTypes: CrmEntityType[],
  ) {
    super(RecordSearchEvent.type, { bubbles: true, composed: true });
  }
}
