import { css } from 'lit';

export const styles = css`
  :host {
    position: relative;
    display: flex;
    flex-direction: column;
    min-height: 0;
    background: var(--_surface-alt);
  }
  lit-virtualizer {
    flex: 1;
    min-height: 120px;
    height: 100%;
    padding: 8px 0;
  }
  .older {
    display: flex;
    justify-content: center;
    padding: 4px 0 8px;
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
  .empty {
    padding: 24px;
    text-align: center;
    color: var(--_text-subtle);
  }
  .new-messages {
    position: absolute;
    bottom: 12px;
    left: 50%;
    transform: translateX(-50%);
    padding: 4px 12px;
    border: 1px solid var(--_brand);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
    cursor: pointer;
  }
`;
