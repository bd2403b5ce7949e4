import type { CrmEntityType } from '../ports/crm-port.js';

/** The agent searched CRM records; answer with `recordResults`. */
export class RecordSearchEvent extends Event {
  static readonly eventName = 'wcp-record-search';
  constructor(
    readonly query: string,
    readonly entityTypes: CrmEntityType[],
  ) {
    super(RecordSearchEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-record-search': RecordSearchEvent;
  }
}
