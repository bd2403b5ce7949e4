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
  button[aria-pressed='true'] {
    background: var(--_brand);
    border-color: var(--_brand);
    color: var(--_on-brand);
    opacity: 1;
    cursor: default;
  }
`;
