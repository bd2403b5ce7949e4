import { css } from 'lit';

/**
 * Fluent-like defaults for the `--wcp-*` custom properties, light and dark (the same names
 * the side pane uses). A host (the CRM theme, or `<wcp-panel theme>`) overrides them by
 * setting the public variables; components read only the private `--_*` copies.
 */
export const tokens = css`
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
    --_danger-surface: var(--wcp-color-danger-surface, #fdf3f4);
    --_warning: var(--wcp-color-warning, #8a3707);
    --_warning-surface: var(--wcp-color-warning-surface, #fff9f5);
    --_success: var(--wcp-color-success, #0e700e);
    --_bubble-in: var(--wcp-color-bubble-inbound, #ffffff);
    --_bubble-out: var(--wcp-color-bubble-outbound, #ebf3fc);
    --_read: var(--wcp-color-read, #0f6cbd);
    --_radius: var(--wcp-radius, 4px);
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
      --_danger-surface: var(--wcp-color-danger-surface, #3b2024);
      --_warning: var(--wcp-color-warning, #faa06b);
      --_warning-surface: var(--wcp-color-warning-surface, #3a2a1f);
      --_success: var(--wcp-color-success, #54b054);
      --_bubble-in: var(--wcp-color-bubble-inbound, #333333);
      --_bubble-out: var(--wcp-color-bubble-outbound, #0e4775);
      --_read: var(--wcp-color-read, #62abf5);
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
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
    opacity: 0.55;
  }
  :focus-visible {
    outline: 2px solid var(--_brand);
    outline-offset: 1px;
  }
  /* Windows high contrast: the system colours replace ours, so every control keeps a border,
     states that were only a colour (selected tab, pressed button) get an outline, and focus
     rings use the system highlight (:host outranks the parts' own rules for these controls). */
  @media (forced-colors: active) {
    :host button,
    :host input,
    :host textarea,
    :host select,
    :host [role='tab'] {
      border: 1px solid ButtonText;
    }
    :host button:disabled {
      border-color: GrayText;
      color: GrayText;
      opacity: 1;
    }
    :host [aria-selected='true'],
    :host [aria-pressed='true'],
    :host button.primary {
      outline: 2px solid Highlight;
      outline-offset: -2px;
    }
    /* A disabled Send is greyed, not marked as if pressed or selected. */
    :host button.primary:disabled {
      outline: none;
    }
    :host :focus-visible {
      outline: 3px solid Highlight;
      outline-offset: 1px;
    }
    :host svg.icon {
      fill: currentColor;
    }
  }
  svg.icon {
    flex: none;
    vertical-align: -3px;
  }
  /*
   * Words for screen readers only inside a line of text (the comma between a tab's parts): kept
   * inline, and never beside an inline-block. Chromium reads the visually-hidden span below, which
   * is absolutely positioned, as a block of its own with spaces around it ("Bo Chen , Waiting").
   */
  .spoken {
    font-size: 0;
    line-height: 0; /* else a fixed line-height still gives its empty box a line's height */
  }
  /* What follows a spoken comma on screen: a space beside the comma collapses into its zero-size
     span and is not seen, so a margin keeps the two apart (a search hit's number, a template's language). */
  .after-spoken {
    margin-inline-start: 0.3em;
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

/** Values the panel sets on itself for `theme="light"` / `theme="dark"`; children inherit them. */
export const themeOverrides = css`
  :host([theme='light']) {
    --wcp-color-brand: #0f6cbd;
    --wcp-color-brand-hover: #115ea3;
    --wcp-color-on-brand: #ffffff;
    --wcp-color-text: #242424;
    --wcp-color-text-subtle: #616161;
    --wcp-color-surface: #ffffff;
    --wcp-color-surface-alt: #f5f5f5;
    --wcp-color-border: #d1d1d1;
    --wcp-color-danger: #b10e1c;
    --wcp-color-danger-surface: #fdf3f4;
    --wcp-color-warning: #8a3707;
    --wcp-color-warning-surface: #fff9f5;
    --wcp-color-success: #0e700e;
    --wcp-color-bubble-inbound: #ffffff;
    --wcp-color-bubble-outbound: #ebf3fc;
    --wcp-color-read: #0f6cbd;
    color-scheme: light;
  }
  :host([theme='dark']) {
    --wcp-color-brand: #479ef5;
    --wcp-color-brand-hover: #62abf5;
    --wcp-color-on-brand: #000000;
    --wcp-color-text: #ffffff;
    --wcp-color-text-subtle: #d6d6d6;
    --wcp-color-surface: #292929;
    --wcp-color-surface-alt: #1f1f1f;
    --wcp-color-border: #666666;
    --wcp-color-danger: #f1707b;
    --wcp-color-danger-surface: #3b2024;
    --wcp-color-warning: #faa06b;
    --wcp-color-warning-surface: #3a2a1f;
    --wcp-color-success: #54b054;
    --wcp-color-bubble-inbound: #333333;
    --wcp-color-bubble-outbound: #0e4775;
    --wcp-color-read: #62abf5;
    color-scheme: dark;
  }
`;
