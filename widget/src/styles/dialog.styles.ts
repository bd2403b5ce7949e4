import { css } from 'lit';

/** A native modal `<dialog>`'s surface: every dialog of the panel and the supervisor page (templates too). */
export const dialogSurfaceStyles = css`
  dialog {
    width: min(440px, calc(100vw - 24px));
    max-height: calc(100vh - 48px);
    padding: 16px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 8px 32px rgb(0 0 0 / 0.24);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  h2 {
    margin: 0 0 12px;
    font-size: 16px;
    font-weight: 600;
  }
`;

/** A dialog with a form (Transfer, Consult, the supervisor's): the surface, labelled fields, alerts, actions. */
export const dialogStyles = css`
  ${dialogSurfaceStyles}
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
    font-weight: 400;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 4px 8px;
    min-height: 32px;
  }
  textarea {
    resize: vertical;
  }
  .hint {
    margin: 0;
    font-size: 12px;
    font-weight: 400;
    color: var(--_text-subtle);
  }
  [role='alert'] {
    margin: 0;
    padding: 8px;
    border-radius: var(--_radius);
    color: var(--_danger);
    background: var(--_danger-surface);
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
  }
`;
