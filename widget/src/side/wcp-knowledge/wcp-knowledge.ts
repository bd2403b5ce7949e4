import { LitElement, html, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, state } from 'lit/decorators.js';
import type { KnowledgeArticle } from '../../ports/crm-port.js';
import { InsertTextEvent, KnowledgeSearchEvent } from '../../events/index.js';
import { safeHttpUrl } from '../shared/safe-url.js';
import { sideTheme } from '../shared/theme.styles.js';
import { searchForm } from '../shared/search-form.js';
import { shareText } from './share-text.js';
import { knowledgeStyles } from './wcp-knowledge.styles.js';

/**
 * Knowledge article search. Each result can be shared into the composer as a link or as a
 * summary (title, summary and link); the agent still reviews and sends the message.
 *
 * @fires {KnowledgeSearchEvent} wcp-knowledge-search - search articles for `query`
 * @fires {InsertTextEvent} wcp-insert-text - the text to share, `source: 'knowledge'`
 * @csspart results - the result list
 * @cssprop --wcp-color-brand - accent colour
 */
@localized()
@customElement('wcp-knowledge')
export class KnowledgeElement extends LitElement {
  static override styles = [sideTheme, knowledgeStyles];

  @property({ attribute: false }) results: KnowledgeArticle[] = [];
  @property({ type: Boolean }) busy = false;
  @property() error = '';

  @state() private queryText = '';
  @state() private searched = false;

  override render() {
    return html`
      <h2>${msg('Knowledge')}</h2>
      ${searchForm({
        name: msg('Knowledge'),
        label: msg('Search knowledge articles'),
        inputId: 'kb-query',
        query: this.queryText,
        busy: this.busy,
        onQuery: (text) => (this.queryText = text),
        onSubmit: (e) => this.onSearch(e),
      })}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="results" aria-live="polite">${this.renderResults()}</div>
    `;
  }

  private renderResults() {
    if (this.busy) return html`<p class="subtle">${msg('Searching…')}</p>`;
    if (!this.searched && this.results.length === 0) return nothing;
    if (this.results.length === 0) return html`<p class="empty">${msg('No articles found.')}</p>`;
    return html`<ul part="results" class="stack" aria-label=${msg('Knowledge articles')}>
      ${this.results.map((article) => {
        const href = safeHttpUrl(article.url);
        return html`<li class="card">
          <div class="title">
            ${href ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${article.title}</a>` : article.title}
          </div>
          <p class="summary">${article.summary}</p>
          <div class="actions">
            <button type="button" aria-label=${msg(str`Share link to ${article.title}`)} @click=${() => this.share(article, 'link')}>
              ${msg('Share link')}
            </button>
            <button
              type="button"
              aria-label=${msg(str`Share summary of ${article.title}`)}
              @click=${() => this.share(article, 'summary')}
            >
              ${msg('Share summary')}
            </button>
          </div>
        </li>`;
      })}
    </ul>`;
  }

  private share(article: KnowledgeArticle, kind: 'link' | 'summary') {
    this.dispatchEvent(new InsertTextEvent(shareText(article, kind), 'knowledge'));
  }

  private onSearch(e: SubmitEvent) {
    e.preventDefault();
    const query = this.queryText.trim();
    if (!query) return;
    this.searched = true;
    this.dispatchEvent(new KnowledgeSearchEvent(query));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-knowledge': KnowledgeElement;
  }
}
