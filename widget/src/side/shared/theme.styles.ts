import { css } from 'lit';
import { tokens } from '../../styles/tokens.styles.js';

/**
 * Shared look of the side-pane parts: the panel's own tokens (Fluent-like `--wcp-*`
 * defaults, light and dark, overridable by the CRM theme) plus form and list defaults.
 */
export const sideTheme = [
  tokens,
  css`
  :host {
    display: block;
  }
  h2,
  h3 {
    font-size: 14px;
    font-weight: 600;
    margin: 0 0 8px;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  input,
  textarea,
  select {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 5px 8px;
    min-height: 32px;
    width: 100%;
  }
  label {
    display: block;
    font-weight: 600;
    margin-bottom: 4px;
  }
  a {
    color: var(--_brand);
  }
  /* A small pill: record type, step kind, match reason. */
  .badge {
    display: inline-block;
    font-size: 12px;
    line-height: 16px;
    padding: 0 6px;
    border-radius: 8px;
    background: var(--_surface-alt);
    border: 1px solid var(--_border);
    margin-inline-end: 4px;
  }
  .subtle {
    color: var(--_text-subtle);
  }
  .error {
    color: var(--_danger);
    margin: 8px 0;
  }
  .empty {
    color: var(--_text-subtle);
    margin: 8px 0;
  }
  .row {
    display: flex;
    gap: 8px;
    align-items: flex-end;
    flex-wrap: wrap;
  }
  .row > .grow {
    flex: 1 1 160px;
  }
  .actions {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
    margin-top: 4px;
  }
  .card {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 8px 12px;
    background: var(--_surface);
    overflow-wrap: anywhere;
  }
  .stack > * + * {
    margin-top: 8px;
  }
`,
];
