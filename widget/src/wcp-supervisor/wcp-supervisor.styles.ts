import { css } from 'lit';

/** The supervisor page's buttons, on the page and in its dialogs (it has no panel around it to style them). */
export const supervisorButtonStyles = css`
  button {
    padding: 3px 10px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--_brand);
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  :focus-visible {
    outline: 2px solid var(--_brand);
    outline-offset: 2px;
  }
`;

export const styles = css`
  :host {
    display: block;
    background: var(--_surface-alt);
    padding: 16px;
  }
  .shown-of {
    margin: 0 0 8px;
    color: var(--_text-subtle);
  }
  section {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 12px 16px;
    margin-block-end: 16px;
    overflow-x: auto;
  }
  .columns {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
    gap: 16px;
  }
  .columns section {
    margin: 0;
  }
  .columns + section {
    margin-block-start: 16px;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  caption {
    text-align: start;
    font-weight: 600;
    font-size: 16px;
    padding-block-end: 8px;
  }
  th,
  td {
    text-align: start;
    padding: 6px 8px;
    border-block-end: 1px solid var(--_border);
    vertical-align: top;
  }
  th {
    color: var(--_text-subtle);
    font-weight: 600;
    font-size: 12px;
  }
  th[scope='row'] {
    color: var(--_text);
    font-size: 14px;
  }
  td.number {
    font-variant-numeric: tabular-nums;
  }
  .phone {
    display: block;
    color: var(--_text-subtle);
    font-size: 12px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .status-line {
    display: flex;
    gap: 16px;
    align-items: baseline;
    margin-block-end: 12px;
    min-height: 20px;
  }
  .error {
    color: var(--_danger);
  }
  td.error-text {
    color: var(--_danger);
    overflow-wrap: anywhere;
  }
`;
