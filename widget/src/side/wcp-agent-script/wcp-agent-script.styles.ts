import { css } from 'lit';

export const agentScriptStyles = css`
  .picker {
    margin-bottom: 12px;
  }
  ol {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .step {
    display: flex;
    gap: 8px;
    align-items: flex-start;
    justify-content: space-between;
  }
  .step label {
    display: flex;
    gap: 8px;
    align-items: flex-start;
    margin: 0;
  }
  .step input {
    width: 16px;
    height: 16px;
    min-height: 0;
    margin-top: 2px;
    flex: none;
  }
  .step.done .title {
    text-decoration: line-through;
    color: var(--_text-subtle);
  }
  .text {
    margin: 4px 0 0 24px;
    white-space: pre-wrap;
  }
  .progress {
    margin: 0 0 8px;
  }
`;
