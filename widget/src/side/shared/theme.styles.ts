import { css } from 'lit';

/**
 * Shared look of the side-pane parts: Fluent-like defaults for the `--wcp-*` custom
 * properties (light and dark), which a host (the CRM theme) can override.
 */
export const sideTheme = css`
  :host {
    --_font: var(--wcp-font-family, 'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, Roboto, 'Helvetica Neue', sans-serif);
    --_brand: var(--wcp-color-brand, #0f6cbd);
    --_brand-hover: var(--wcp-color-brand-hover, #115ea3);
    --_on-brand: var(--wcp-color-on-brand, #ffffff);
    --_text: var(--wcp-color-text, #242424);
    --_text-subtle: var(--wcp-color-text-subtle, #616161);
    --_surface: var(--wcp-color-surface, #ffffff);
    --_surface-alt: var(--wcp-color-surface-alt, #f5f5f5);
    --_border: var(--wcp-color-border, #d1d1d1);
    --_danger: var(--wcp-color-danger, #b10e1c);
    --_success: var(--wcp-color-success, #0e700e);
    --_radius: var(--wcp-radius, 4px);
    display: block;
    font-family: var(--_font);
    font-size: 14px;
    line-height: 20px;
    color: var(--_text);
    box-sizing: border-box;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_brand: var(--wcp-color-brand, #479ef5);
      --_brand-hover: var(--wcp-color-brand-hover, #62abf5);
      --_on-brand: var(--wcp-color-on-brand, #000000);
      --_text: var(--wcp-color-text, #ffffff);
      --_text-subtle: var(--wcp-color-text-subtle, #d6d6d6);
      --_surface: var(--wcp-color-surface, #292929);
      --_surface-alt: var(--wcp-color-surface-alt, #1f1f1f);
      --_border: var(--wcp-color-border, #666666);
      --_danger: var(--wcp-color-danger, #f1707b);
      --_success: var(--wcp-color-success, #54b054);
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
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
  button {
    font: inherit;
    min-height: 32px;
    padding: 4px 12px;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--_text);
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: var(--_surface-alt);
  }
  button.primary {
    background: var(--_brand);
    border-color: var(--_brand);
    color: var(--_on-brand);
  }
  button.primary:hover:not(:disabled) {
    background: var(--_brand-hover);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  button:focus-visible,
  input:focus-visible,
  textarea:focus-visible,
  select:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--_brand);
    outline-offset: 1px;
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
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
