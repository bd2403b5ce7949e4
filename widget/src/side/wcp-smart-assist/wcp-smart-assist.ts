import { LitElement, html, nothing } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import { InsertTextEvent } from '../../events/index.js';
import { safeHttpUrl } from '../shared/safe-url.js';
import { sideTheme } from '../shared/theme.styles.js';
import type { Suggestion } from '../smart-assist/suggest.js';
import { shareText } from '../wcp-knowledge/share-text.js';
import { smartAssistStyles } from './wcp-smart-assist.styles.js';

/**
 * Smart-assist suggestions for the customer's latest message: quick replies ("Use" puts the
 * reply into the composer) and knowledge articles ("Share" puts the article's link there),
 * best match first, with the words that matched.
 *
 * @fires {InsertTextEvent} wcp-insert-text - a quick reply (`source: 'quick-reply'`) or an article link (`source: 'knowledge'`)
 * @csspart suggestions - the list of suggestions
 * @cssprop --wcp-color-brand - accent colour
 */
@localized()
@customElement('wcp-smart-assist')
export class SmartAssistElement extends LitElement {
  static override styles = [sideTheme, smartAssistStyles];

  @property({ attribute: false }) suggestions: Suggestion[] = [];
  /** The customer message the suggestions are for; shown so the agent knows what they answer. */
  @property() basedOn = '';

  override render() {
    return html`
      <h2>${msg('Smart assist')}</h2>
      ${this.basedOn
        ? html`<p class="based-on subtle">${msg(str`For the customer's message: “${this.basedOn}”`)}</p>`
        : html`<p class="empty">${msg('Suggestions appear when the customer writes.')}</p>`}
      ${this.basedOn && this.suggestions.length === 0 ? html`<p class="empty">${msg('No suggestions for this message.')}</p>` : nothing}
      ${this.suggestions.length
        ? html`<ul part="suggestions" class="stack" aria-label=${msg('Suggestions')}>
            ${this.suggestions.map((s) => html`<li class="card">${s.kind === 'quick-reply' ? this.quickReply(s) : this.article(s)}</li>`)}
          </ul>`
        : nothing}
    `;
  }

  private quickReply(s: Extract<Suggestion, { kind: 'quick-reply' }>) {
    return html`<div><span class="badge">${msg('Quick reply')}</span><span class="title">${s.item.title}</span></div>
      <p class="preview">${s.item.body}</p>
      ${this.why(s)}
      <div class="actions">
        <button
          type="button"
          class="primary"
          aria-label=${msg(str`Use quick reply: ${s.item.title}`)}
          @click=${() => this.dispatchEvent(new InsertTextEvent(s.item.body, 'quick-reply'))}
        >
          ${msg('Use')}
        </button>
      </div>`;
  }

  private article(s: Extract<Suggestion, { kind: 'article' }>) {
    const href = safeHttpUrl(s.item.url);
    return html`<div>
        <span class="badge">${msg('Article')}</span>
        ${href
          ? html`<a class="title" href=${href} target="_blank" rel="noopener noreferrer">${s.item.title}</a>`
          : html`<span class="title">${s.item.title}</span>`}
      </div>
      <p class="preview">${s.item.summary}</p>
      ${this.why(s)}
      <div class="actions">
        <button
          type="button"
          class="primary"
          aria-label=${msg(str`Share article: ${s.item.title}`)}
          @click=${() => this.dispatchEvent(new InsertTextEvent(shareText(s.item, 'link'), 'knowledge'))}
        >
          ${msg('Share')}
        </button>
      </div>`;
  }

  private why(s: Suggestion) {
    return s.matched.length ? html`<p class="why subtle">${msg(str`Matches: ${s.matched.join(', ')}`)}</p>` : nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-smart-assist': SmartAssistElement;
  }
}
