/** The agent searched knowledge articles; answer with `knowledgeResults`. */
export class KnowledgeSearchEvent extends Event {
  static readonly type = 'wcp-knowledge-search';
  constructor(readonly query: string) {
    super(KnowledgeSearchEvent.type, { bubbles: true, composed: true });
  }
}
