import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    position: relative;
    background: var(--_surface);
    border-top: 1px solid var(--_border);
    padding: 8px;
  }
  .chip {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 4px 8px;
    margin-bottom: 6px;
    background: var(--_surface-alt);
    border-inline-start: 3px solid var(--_brand);
    border-radius: var(--_radius);
    font-size: 12px;
  }
  .chip span {
    flex: 1;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .chip button {
    min-height: 24px;
    padding: 0 8px;
  }
  textarea {
    display: block;
    width: 100%;
    min-height: 56px;
    max-height: 160px;
    resize: vertical;
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-bottom: 2px solid var(--_text-subtle);
    border-radius: var(--_radius);
    padding: 6px 8px;
  }
  /* Focus is more than a colour: the bottom line turns brand and the usual 2 px ring is drawn
     too (a grey-to-blue line alone was the one focus indicator on the panel's busiest control). */
  textarea:focus-visible {
    border-bottom-color: var(--_brand);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: 6px;
  }
  .actions .send {
    margin-inline-start: auto;
  }
  .error {
    color: var(--_danger);
    font-size: 12px;
    margin: 4px 0 0;
  }
  [role='listbox'] {
    position: absolute;
    inset-inline: 8px;
    bottom: calc(100% - 4px);
    max-height: 220px;
    overflow: auto;
    margin: 0;
    padding: 4px 0;
    list-style: none;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.16);
    z-index: 2;
  }
  [role='option'] {
    padding: 6px 12px;
    cursor: pointer;
  }
  [role='option'] small {
    display: block;
    color: var(--_text-subtle);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  [role='option'][aria-selected='true'] {
    background: var(--_surface-alt);
    outline: 2px solid var(--_brand);
    outline-offset: -2px;
  }
  .none {
    padding: 6px 12px;
    color: var(--_text-subtle);
  }
  .meta {
    display: flex;
    gap: 8px;
    align-items: baseline;
    font-size: 12px;
    color: var(--_text-subtle);
  }
  .help {
    flex: 1;
    margin: 2px 0 0;
  }
  .counter {
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  .counter.over,
  .blocked {
    color: var(--_danger);
  }
  .blocked {
    font-size: 12px;
    margin: 4px 0 0;
  }
  .opted-out {
    margin: 0 0 6px;
    padding: 6px 8px;
    color: var(--_text);
    background: var(--_danger-surface);
    border-inline-start: 3px solid var(--_danger);
    border-radius: var(--_radius);
  }
  progress {
    display: block;
    width: 100%;
    margin-bottom: 6px;
  }
  .reply-buttons {
    margin: 6px 0 0;
    padding: 4px 8px 8px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .reply-button {
    display: flex;
    align-items: center;
    gap: 6px;
    margin-bottom: 4px;
    font-size: 12px;
  }
  .reply-button label {
    display: flex;
    align-items: center;
    gap: 6px;
    flex: 1;
  }
  .reply-button input {
    flex: 1;
    font: inherit;
  }
`;
