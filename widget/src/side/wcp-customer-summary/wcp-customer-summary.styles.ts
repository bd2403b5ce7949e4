import { css } from 'lit';

export const customerSummaryStyles = css`
  section + section {
    margin-top: 16px;
  }
  .who {
    display: flex;
    align-items: center;
    gap: 8px;
    flex-wrap: wrap;
    font-size: 16px;
    font-weight: 600;
    margin: 0 0 8px;
    overflow-wrap: anywhere; /* a long unbroken name wraps instead of widening the pane */
  }
  .auth {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    font-size: 12px;
    font-weight: 600;
    color: var(--_success);
    border: 1px solid currentColor;
    border-radius: 10px;
    padding: 0 8px;
  }
  .auth.no {
    color: var(--_text-subtle);
  }
  .auth svg {
    width: 12px;
    height: 12px;
  }
  dl {
    display: grid;
    grid-template-columns: minmax(90px, max-content) 1fr;
    gap: 2px 12px;
    margin: 0;
  }
  dt {
    color: var(--_text-subtle);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .previous button {
    width: 100%;
    text-align: start;
    display: flex;
    justify-content: space-between;
    gap: 8px;
    flex-wrap: wrap;
  }
`;
