import { css } from 'lit';

export const recordsStyles = css`
  section + section {
    margin-top: 16px;
  }
  .result {
    display: flex;
    gap: 8px;
    align-items: center;
    justify-content: space-between;
  }
  .result .what {
    min-width: 0;
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 8px 12px 12px;
    margin: 8px 0 0;
  }
  legend {
    font-weight: 600;
    padding: 0 4px;
  }
  .field + .field {
    margin-top: 8px;
  }
  .check {
    display: flex;
    gap: 6px;
    align-items: center;
    font-weight: normal;
    margin-top: 8px;
  }
  .check input {
    width: auto;
    min-height: 0;
  }
`;
