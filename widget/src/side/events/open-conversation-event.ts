/** The agent wants to see this conversation (a search hit or a previous conversation). */
export class OpenConversationEvent extends Event {
  static readonly type = 'wcp-open-conversation';
  constructor(readonly conversationId: string) {
    super(OpenConversationEvent.type, { bubbles: true, composed: true });
  }
}
