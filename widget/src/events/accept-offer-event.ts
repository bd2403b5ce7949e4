/** The agent accepts an incoming conversation. */
export class AcceptOfferEvent extends Event {
  static readonly eventName = 'wcp-accept-offer';
  constructor(readonly conversationId: string) {
    super(AcceptOfferEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-accept-offer': AcceptOfferEvent;
  }
}
