import { css } from 'lit';
import { supervisorButtonStyles } from './wcp-supervisor.styles.js';

/**
 * What the supervisor's dialogs add to the panel's dialog look (styles/dialog.styles.ts): a
 * wider transcript, the page's buttons, and a filled primary button.
 */
export const supervisorDialogStyles = [
  supervisorButtonStyles,
  css`
    dialog {
      width: auto;
      min-width: min(420px, 90vw);
      max-width: min(720px, 95vw);
    }
    button[type='submit'] {
      background: var(--_brand);
      border-color: var(--_brand);
      color: var(--_on-brand);
    }
  `,
];
