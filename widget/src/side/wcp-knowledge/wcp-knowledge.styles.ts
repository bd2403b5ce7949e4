import { css } from 'lit';

export const knowledgeStyles = css`
  .results {
    margin-top: 12px;
  }
  .title {
    font-weight: 600;
  }
  .summary {
    margin: 4px 0;
  }
`;
