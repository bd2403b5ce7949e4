/** The agent removes the reply-to quote from the composer. */
export class CancelReplyEvent extends Event {
  static readonly eventName = 'wcp-cancel-reply';
  constructor() {
    super(CancelReplyEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-cancel-reply': CancelReplyEvent;
  }
}
