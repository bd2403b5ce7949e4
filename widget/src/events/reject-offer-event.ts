/** The agent rejects an incoming conversation. */
export class RejectOfferEvent extends Event {
  static readonly eventName = 'wcp-reject-offer';
  constructor(readonly conversationId: string) {
    super(RejectOfferEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-reject-offer': RejectOfferEvent;
  }
}
