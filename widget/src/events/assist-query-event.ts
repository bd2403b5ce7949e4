/** Keywords of the latest inbound message; answer with `assistArticles` (smart assist candidates). */
export class AssistQueryEvent extends Event {
  static readonly eventName = 'wcp-assist-query';
  constructor(readonly query: string) {
    super(AssistQueryEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-assist-query': AssistQueryEvent;
  }
}
