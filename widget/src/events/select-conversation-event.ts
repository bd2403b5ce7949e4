/** The agent switches to another session tab. */
export class SelectConversationEvent extends Event {
  static readonly eventName = 'wcp-select-conversation';
  constructor(readonly conversationId: string) {
    super(SelectConversationEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-select-conversation': SelectConversationEvent;
  }
}
