import { css } from 'lit';

export const styles = css`
  /* The dialog's surface is styles/dialog.styles.ts. */
  dialog {
    width: min(520px, calc(100vw - 24px));
  }
  fieldset {
    border: 0;
    margin: 0 0 12px;
    padding: 0;
    display: grid;
    gap: 4px;
  }
  legend {
    font-weight: 600;
    padding: 0;
    margin-bottom: 4px;
  }
  .choice {
    display: flex;
    gap: 8px;
    align-items: baseline;
  }
  .choice small {
    color: var(--_text-subtle);
  }
  .field {
    display: grid;
    gap: 2px;
  }
  input[type='text'] {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 4px 8px;
    min-height: 32px;
  }
  .preview {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    background: var(--_bubble-out);
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 8px 10px;
    margin: 0;
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    margin-top: 16px;
  }
  .empty {
    color: var(--_text-subtle);
  }
  .choice small.category,
  .choice small.status {
    margin-inline-start: 6px;
    padding: 0 4px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .choice.unavailable {
    color: var(--_text-subtle);
  }
  .stale,
  .pricing {
    font-size: 12px;
    color: var(--_text-subtle);
  }
  .opted-out {
    padding: 6px 8px;
    background: var(--_danger-surface);
    border-inline-start: 3px solid var(--_danger);
    border-radius: var(--_radius);
  }
`;
