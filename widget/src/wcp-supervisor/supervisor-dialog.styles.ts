import { css } from 'lit';

/** The supervisor's modal dialogs (native <dialog>: focus kept inside, Escape closes). */
export const dialogStyles = css`
  dialog {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    padding: 16px 20px;
    min-width: min(420px, 90vw);
    max-width: min(720px, 95vw);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 40%);
  }
  h2 {
    font-size: 16px;
    margin: 0 0 12px;
  }
  form {
    display: grid;
    gap: 12px;
  }
  label {
    display: grid;
    gap: 4px;
    font-weight: 600;
  }
  select,
  textarea {
    font: inherit;
    font-weight: normal;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 4px 6px;
  }
  .actions {
    display: flex;
    gap: 8px;
    justify-content: flex-end;
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
  [role='alert'] {
    color: var(--_danger);
    background: var(--_danger-surface);
    border-radius: var(--_radius);
    padding: 6px 8px;
    margin: 0;
  }
`;
