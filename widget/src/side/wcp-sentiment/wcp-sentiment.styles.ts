import { css } from 'lit';

export const sentimentStyles = css`
  .sentiment {
    display: flex;
    align-items: center;
    gap: 8px;
    flex-wrap: wrap;
  }
  svg {
    width: 20px;
    height: 20px;
    flex: none;
  }
  .scale {
    display: inline-flex;
    gap: 2px;
  }
  .scale span {
    width: 10px;
    height: 6px;
    border-radius: 2px;
    background: var(--_border);
  }
  .scale span.on {
    background: var(--_tone);
  }
  :host {
    --_tone: var(--_text-subtle);
  }
  :host([tone='negative']) {
    --_tone: var(--wcp-color-sentiment-negative, var(--_danger));
  }
  :host([tone='positive']) {
    --_tone: var(--wcp-color-sentiment-positive, var(--_success));
  }
  .face {
    color: var(--_tone);
  }
`;
