import type { Message } from '@wcp/protocol';

/** The agent wants to reply to (quote) a message. */
export class ReplyToEvent extends Event {
  static readonly eventName = 'wcp-reply-to';
  constructor(readonly message: Message) {
    super(ReplyToEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-reply-to': ReplyToEvent;
  }
}
