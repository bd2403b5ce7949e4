import { css } from 'lit';

export const smartAssistStyles = css`
  .based-on {
    margin: 0 0 12px;
    overflow-wrap: anywhere;
  }
  .badge {
    display: inline-block;
    font-size: 12px;
    line-height: 16px;
    padding: 0 6px;
    border-radius: 8px;
    background: var(--_surface-alt);
    border: 1px solid var(--_border);
    margin-right: 4px;
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
