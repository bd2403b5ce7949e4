import type { ConversationState } from '@wcp/protocol';

/** The agent moves the conversation to another state. */
export class ChangeStateEvent extends Event {
  static readonly eventName = 'wcp-change-state';
  constructor(readonly state: ConversationState) {
    super(ChangeStateEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-change-state': ChangeStateEvent;
  }
}
