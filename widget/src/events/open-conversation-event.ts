/** The agent wants to see this conversation (a search hit or a previous conversation). */
export class OpenConversationEvent extends Event {
  static readonly eventName = 'wcp-open-conversation';
  constructor(readonly conversationId: string) {
    super(OpenConversationEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-open-conversation': OpenConversationEvent;
  }
}
