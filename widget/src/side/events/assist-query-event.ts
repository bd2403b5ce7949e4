/** Keywords of the latest inbound message; answer with `assistArticles` (smart assist candidates). */
export class AssistQueryEvent extends Event {
  static readonly type = 'wcp-assist-query';
  constructor(readonly query: string) {
    super(AssistQueryEvent.type, { bubbles: true, composed: true });
  }
}
