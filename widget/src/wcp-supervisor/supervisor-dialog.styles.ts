import { css } from 'lit';

/**
 * What the supervisor's dialogs add to the panel's dialog look (styles/dialog.styles.ts): a
 * wider transcript, and buttons styled here because the supervisor page has no panel around it.
 */
export const supervisorDialogStyles = css`
  dialog {
    width: auto;
    min-width: min(420px, 90vw);
    max-width: min(720px, 95vw);
  }
  button {
    padding: 5px 12px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    cursor: pointer;
  }
  button[type='submit'] {
    background: var(--_brand);
    border-color: var(--_brand);
    color: var(--_on-brand);
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
