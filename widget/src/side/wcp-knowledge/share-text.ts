import type { KnowledgeArticle } from '../../ports/crm-port.js';

export type ShareKind = 'link' | 'summary';

/** What "Share link" / "Share summary" put into the composer. */
export function shareText(article: KnowledgeArticle, kind: ShareKind): string {
  return kind === 'link'
    ? `${article.title}: ${article.url}`
    : `${article.title}\n${article.summary}\nRead more: ${article.url}`;
}
