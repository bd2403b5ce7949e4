/** The agent retries a failed outbound message. */
export class RetryMessageEvent extends Event {
  static readonly eventName = 'wcp-retry-message';
  constructor(readonly messageId: string) {
    super(RetryMessageEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-retry-message': RetryMessageEvent;
  }
}
