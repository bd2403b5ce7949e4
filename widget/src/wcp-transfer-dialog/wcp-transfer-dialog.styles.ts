import { css } from 'lit';

export const styles = css`
  .count.full {
    color: var(--_warning);
  }
`;
