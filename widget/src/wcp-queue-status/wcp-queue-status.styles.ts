import { css } from 'lit';

export const styles = css`
  ul {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  li {
    padding: 1px 8px;
    border: 1px solid var(--_border);
    border-radius: 10px;
    font-size: 12px;
    color: var(--_text-subtle);
    white-space: nowrap;
  }
  li.busy {
    border-color: var(--_brand);
    color: var(--_text);
    font-weight: 600;
  }
`;
