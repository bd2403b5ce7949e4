import { css } from 'lit';

export const smartAssistStyles = css`
  .based-on {
    margin: 0 0 12px;
    overflow-wrap: anywhere;
  }
  .title {
    font-weight: 600;
  }
  .preview {
    margin: 4px 0;
    white-space: pre-wrap;
  }
  .why {
    font-size: 12px;
  }
`;
