import { css } from 'lit';

/**
 * A transcript bubble's rules, for the shadow root that holds the bubbles (`<wcp-thread>`'s):
 * `<wcp-message>` has none of its own.
 */
export const messageStyles = css`
  /* Transcript entries render into the thread's tree (see wcp-message.ts). */
  wcp-message {
    display: block;
    width: 100%;
  }
  .row {
    display: flex;
    width: 100%;
    padding: 3px 12px;
  }
  .row.outbound {
    justify-content: flex-end;
  }
  .message {
    max-width: min(80%, 560px);
    padding: 6px 10px;
    border-radius: 8px;
    background: var(--_bubble-in);
    border: 1px solid var(--_border);
    overflow-wrap: anywhere;
  }
  .outbound .message {
    background: var(--_bubble-out);
  }
  .failed .message {
    border-color: var(--_danger);
  }
  .body {
    margin: 0;
    white-space: pre-wrap;
  }
  /* Links take the bubble's own text colour (contrast holds on every bubble, light and
     dark) and are told apart by the underline. */
  .body a,
  .media a {
    color: inherit;
    text-decoration: underline;
  }
  .quote {
    border-inline-start: 3px solid var(--_brand);
    padding: 2px 8px;
    margin-bottom: 4px;
    color: var(--_text-subtle);
    font-size: 12px;
    white-space: pre-wrap;
    max-height: 3lh;
    overflow: hidden;
  }
  .meta {
    display: flex;
    justify-content: flex-end;
    align-items: center;
    gap: 4px;
    font-size: 12px;
    color: var(--_text-subtle);
    margin-top: 2px;
  }
  .tick.read {
    color: var(--_read);
  }
  .error {
    color: var(--_danger);
    font-size: 12px;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
    margin-top: 4px;
  }
  .reply {
    min-height: 24px;
    padding: 0 6px;
    font-size: 12px;
    border-color: transparent;
    background: transparent;
    color: var(--_text-subtle);
  }
  .media img,
  .media video {
    display: block;
    max-width: 100%;
    max-height: 240px;
    border-radius: var(--_radius);
  }
  .media audio {
    max-width: 100%;
  }
  .media + .body {
    margin-top: 4px;
  }
  .placeholder {
    font-size: 12px;
    color: var(--_text-subtle);
  }
  .row.highlighted .message {
    outline: 2px solid var(--_brand);
    outline-offset: 2px;
  }
  .row:focus {
    outline: none;
  }
  button.quote {
    display: block;
    width: 100%;
    min-height: 0;
    text-align: start;
    background: transparent;
    border-radius: 0;
    border-block: none;
    border-inline-end: none;
    cursor: pointer;
  }
  button.quote:hover:not(:disabled) {
    background: var(--_surface-alt);
  }
  .quote-sender {
    display: block;
    font-weight: 600;
    color: var(--_text);
  }
  .quote-text {
    display: block;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .author {
    margin: 0 0 2px;
    font-size: 12px;
    font-weight: 600;
    color: var(--_text-subtle);
  }
  .forwarded {
    margin: 0 0 2px;
    font-size: 12px;
    font-style: italic;
    color: var(--_text-subtle);
  }
  .card {
    margin: 2px 0 4px;
    padding: 6px 8px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .card p,
  .card ul {
    margin: 0;
  }
  .card ul {
    padding: 0;
    list-style: none;
  }
  .card-title {
    font-weight: 600;
  }
  .card a {
    color: inherit;
    text-decoration: underline;
  }
  .coordinates {
    font-size: 12px;
    color: var(--_text-subtle);
  }
  .card-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin-top: 6px;
  }
  .card-notice:empty {
    display: none;
  }
  .card-notice {
    font-size: 12px;
    margin-top: 4px;
  }
  .choice {
    margin: 0;
    font-weight: 600;
  }
  .placeholder-text {
    margin: 0;
    font-style: italic;
    color: var(--_text-subtle);
  }
  ul.buttons {
    display: flex;
    flex-direction: column;
    gap: 4px;
    margin: 6px 0 0;
    padding: 0;
    list-style: none;
  }
  ul.buttons li {
    padding: 4px 8px;
    text-align: center;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    color: var(--_brand);
    background: var(--_surface);
  }
  .error p {
    margin: 0;
  }
  .error a {
    color: inherit;
    text-decoration: underline;
  }
`;
