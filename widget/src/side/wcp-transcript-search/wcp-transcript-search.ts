import { LitElement, html, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, state } from 'lit/decorators.js';
import type { SearchHit } from '@wcp/protocol';
import { OpenConversationEvent, TranscriptSearchEvent } from '../../events/index.js';
import { dispositionLabel } from '../../lib/dispositions.js';
import { languageComma } from '../../lib/comma.js';
import { formatDateTime } from '../shared/format.js';
import { sideTheme } from '../shared/theme.styles.js';
import { searchForm } from '../shared/search-form.js';
import { highlightParts } from './highlight.js';
import { transcriptSearchStyles } from './wcp-transcript-search.styles.js';

/**
 * Search across the agent's conversation transcripts. Each hit shows the customer (name and
 * number), who wrote it, the snippet (as text, search words marked), the time, and for a closed
 * conversation its disposition and summary; choosing it opens the conversation.
 *
 * @fires {TranscriptSearchEvent} wcp-transcript-search - search the transcripts for `query`
 * @fires {OpenConversationEvent} wcp-open-conversation - the hit's conversation
 * @csspart results - the list of hits
 * @cssprop --wcp-color-highlight - background of the marked search words
 */
@localized()
@customElement('wcp-transcript-search')
export class TranscriptSearchElement extends LitElement {
  static override styles = [sideTheme, transcriptSearchStyles];

  @property({ attribute: false }) hits: SearchHit[] = [];
  @property({ type: Boolean }) busy = false;
  @property() error = '';

  @state() private queryText = '';
  /** The query the shown hits answer, for marking words. */
  @state() private searchedQuery = '';

  override render() {
    return html`
      <h2>${msg('Transcript search')}</h2>
      ${searchForm({
        name: msg('Transcripts'),
        label: msg('Search conversations'),
        inputId: 'transcript-query',
        query: this.queryText,
        busy: this.busy,
        onQuery: (text) => (this.queryText = text),
        onSubmit: (e) => this.onSearch(e),
      })}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="results" aria-live="polite">${this.renderHits()}</div>
    `;
  }

  private renderHits() {
    if (this.busy) return html`<p class="subtle">${msg('Searching…')}</p>`;
    if (!this.searchedQuery && this.hits.length === 0) return nothing;
    if (this.hits.length === 0) return html`<p class="empty">${msg('No messages found.')}</p>`;
    return html`<ul part="results" class="stack" aria-label=${msg('Search results')}>
      ${this.hits.map((hit) => {
        const { profileName, phone } = hit.customer;
        return html`<li>
          <button type="button" class="hit" @click=${() => this.dispatchEvent(new OpenConversationEvent(hit.conversationId, hit.messageId))}>
            <span class="meta">
              <span class="who"
                ><strong dir="auto">${profileName || phone}</strong>${profileName
                  ? html`<span class="spoken">${languageComma()}</span><bdi class="subtle after-spoken">${phone}</bdi>`
                  : nothing}<span class="spoken">${languageComma().trimEnd()}</span></span
              >
              <time class="subtle" datetime=${hit.createdAt}>${formatDateTime(hit.createdAt)}<span class="spoken">${languageComma().trimEnd()}</span></time>
            </span>
            ${hit.disposition
              ? html`<span class="closed subtle"
                  >${msg(str`Closed: ${dispositionLabel(hit.disposition)}`)}${hit.summary ? html` · <span dir="auto">${hit.summary}</span>` : nothing}<span
                    class="spoken"
                    >${languageComma().trimEnd()}</span
                  ></span
                >`
              : nothing}
            <span class="snippet"
              ><span class="subtle">${hit.direction === 'inbound' ? msg('Customer:') : msg('Agent:')} </span
              >${highlightParts(hit.snippet, this.searchedQuery).map((p) => (p.match ? html`<mark>${p.text}</mark>` : p.text))}</span
            >
          </button>
        </li>`;
      })}
    </ul>`;
  }

  private onSearch(e: SubmitEvent) {
    e.preventDefault();
    const query = this.queryText.trim();
    if (!query) return;
    this.searchedQuery = query;
    this.dispatchEvent(new TranscriptSearchEvent(query));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-transcript-search': TranscriptSearchElement;
  }
}
