/** The agent searched knowledge articles; answer with `knowledgeResults`. */
export class KnowledgeSearchEvent extends Event {
  static readonly eventName = 'wcp-knowledge-search';
  constructor(readonly query: string) {
    super(KnowledgeSearchEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-knowledge-search': KnowledgeSearchEvent;
  }
}
