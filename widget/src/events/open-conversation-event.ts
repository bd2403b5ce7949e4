/** The agent wants to see this conversation (a search hit or a previous conversation), at `messageId` when given (the hit). */
export class OpenConversationEvent extends Event {
  static readonly eventName = 'wcp-open-conversation';
  constructor(
    readonly conversationId: string,
    readonly messageId: string | null = null,
  ) {
    super(OpenConversationEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-open-conversation': OpenConversationEvent;
  }
}
