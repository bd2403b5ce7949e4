import { LitElement, html, svg, type PropertyValues } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, state } from 'lit/decorators.js';
import { SENTIMENT_LABELS, type SentimentLabel, type SentimentResult, type SentimentTrend } from '../sentiment/sentiment.js';
import { sideTheme } from '../shared/theme.styles.js';
import { sentimentStyles } from './wcp-sentiment.styles.js';
import { languageComma } from '../../lib/comma.js';

/**
 * The customer's current sentiment on Omnichannel's seven-point scale: a face, a seven-step
 * scale (both decorative) and, as text, the label, the trend (improving, worsening, steady) and
 * the range from the lowest to the highest message. A new customer message that changes that
 * text is announced politely; the first judgement (an accepted conversation, a transcript
 * loading, older pages) is not news, and is read only when the agent goes there.
 *
 * @csspart face - the face icon
 * @cssprop --wcp-color-sentiment-negative - tone of the negative labels (defaults to the danger colour)
 * @cssprop --wcp-color-sentiment-positive - tone of the positive labels (defaults to the success colour)
 */
@localized()
@customElement('wcp-sentiment')
export class SentimentElement extends LitElement {
  static override styles = [sideTheme, sentimentStyles];

  @property({ attribute: false }) sentiment: SentimentResult | null = null;

  /** The id of the newest customer message `sentiment` counts: when it moves on, the change is news. */
  @property({ attribute: false }) basis: string | null = null;

  /** 'negative' | 'neutral' | 'positive', for styling. */
  @property({ reflect: true }) tone: 'negative' | 'neutral' | 'positive' = 'neutral';

  /**
   * How long an announcement stays in the live region. Then it is emptied, so a screen reader
   * reading the pane line by line meets the sentiment once, in the text shown, not twice.
   */
  static announcementMs = 5_000;

  /** What the live region says: the sentiment after a new customer message changed it. */
  @state() private news = '';
  private newsTimer: ReturnType<typeof setTimeout> | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const level = this.level();
    this.tone = level < 3 ? 'negative' : level > 3 ? 'positive' : 'neutral';
    const before = changed.get('basis');
    if (!changed.has('basis') || !before || !this.basis || before === this.basis) return;
    const previous = changed.has('sentiment') ? changed.get('sentiment') : this.sentiment;
    const text = this.text(this.sentiment);
    if (text !== this.text(previous ?? null)) this.news = text;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('news' as keyof SentimentElement) || !this.news) return;
    clearTimeout(this.newsTimer);
    this.newsTimer = setTimeout(() => (this.news = ''), SentimentElement.announcementMs);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.newsTimer);
    this.news = '';
  }

  /** "Customer sentiment: Negative, worsening (range: …)", the text render() shows. */
  private text(sentiment: SentimentResult | null): string {
    const { label, detail } = described(sentiment);
    return `${msg('Customer sentiment:')} ${label}${detail}`;
  }

  /** 0 (very negative) … 6 (very positive). */
  private level(): number {
    return this.sentiment ? SENTIMENT_LABELS.indexOf(this.sentiment.label) : 3;
  }

  override render() {
    const level = this.level();
    const { label, detail } = described(this.sentiment);
    // Mouth from a frown (level 0) through a straight line to a smile (level 6).
    const curve = (level - 3) * 1.5;
    return html`<div class="sentiment">
      <svg part="face" class="face" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6">
        <circle cx="12" cy="12" r="10"></circle>
        <circle cx="8.5" cy="9.5" r="1" fill="currentColor" stroke="none"></circle>
        <circle cx="15.5" cy="9.5" r="1" fill="currentColor" stroke="none"></circle>
        ${svg`<path d=${`M7.5 ${15.5 - curve / 2} Q12 ${15.5 + curve} 16.5 ${15.5 - curve / 2}`} stroke-linecap="round"></path>`}
      </svg>
      <span>${msg('Customer sentiment:')} <strong>${label}</strong>${detail}</span>
      <span class="scale" aria-hidden="true">
        ${SENTIMENT_LABELS.map((_, i) => html`<span class=${this.sentiment && i === level ? 'on' : ''}></span>`)}
      </span>
    </div>
    <span class="visually-hidden" aria-live="polite">${this.news}</span>`;
  }
}

/** The label ("Negative") and what follows it (", worsening (range: …)"), or that there is nothing to judge. */
function described(sentiment: SentimentResult | null): { label: string; detail: string } {
  if (!sentiment) return { label: msg('No customer messages yet'), detail: '' };
  return { label: capitalize(sentimentLabel(sentiment.label)), detail: detail(sentiment) };
}

/** ", improving (range: very negative to positive)": the trend, and the range once there is one. */
function detail({ trend, range }: SentimentResult): string {
  const lowest = sentimentLabel(range.lowest);
  const highest = sentimentLabel(range.highest);
  const spread = range.lowest === range.highest ? '' : msg(str` (range: ${lowest} to ${highest})`);
  return `${languageComma()}${trendLabel(trend)}${spread}`;
}

/** A sentiment level in the panel's language (also the supervisor's table). */
export function sentimentLabel(label: SentimentLabel): string {
  switch (label) {
    case 'very negative':
      return msg('very negative');
    case 'negative':
      return msg('negative');
    case 'slightly negative':
      return msg('slightly negative');
    case 'neutral':
      return msg('neutral');
    case 'slightly positive':
      return msg('slightly positive');
    case 'positive':
      return msg('positive');
    case 'very positive':
      return msg('very positive');
  }
}

function trendLabel(trend: SentimentTrend): string {
  return trend === 'improving' ? msg('improving') : trend === 'worsening' ? msg('worsening') : msg('steady');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-sentiment': SentimentElement;
  }
}
