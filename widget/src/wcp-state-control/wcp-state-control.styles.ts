import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  [role='group'] {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
  }
  button {
    min-height: 28px;
    padding: 2px 10px;
    font-size: 12px;
  }
  .wrap-up {
    display: flex;
    flex-direction: column;
    gap: 6px;
    margin-block-start: 8px;
  }
  .wrap-up label {
    display: flex;
    flex-direction: column;
    gap: 2px;
    font-size: 12px;
  }
  .wrap-up .ends {
    margin: 0;
    font-size: 12px;
  }
  .wrap-up button {
    align-self: flex-start;
  }
  /* The current state's button stays focusable (aria-disabled): no hover look of a button to press. */
  button[aria-pressed='true'],
  button[aria-pressed='true']:hover {
    background: var(--_brand);
    border-color: var(--_brand);
    color: var(--_on-brand);
    opacity: 1;
    cursor: default;
  }
`;
