import type { NewRecord } from '../ports/crm-port.js';

/** The agent wants a contact or case created; when `link`, link it to the conversation too. */
export class CreateRecordEvent extends Event {
  static readonly eventName = 'wcp-create-record';
  constructor(
    readonly record: NewRecord,
    readonly link: boolean,
  ) {
    super(CreateRecordEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-create-record': CreateRecordEvent;
  }
}
