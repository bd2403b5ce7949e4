import { css } from 'lit';

export const transcriptSearchStyles = css`
  .results {
    margin-top: 12px;
  }
  .hit {
    width: 100%;
    text-align: start;
    display: block;
    padding: 8px 12px;
  }
  .hit .meta {
    display: flex;
    justify-content: space-between;
    gap: 8px;
    flex-wrap: wrap;
    overflow-wrap: anywhere; /* a long unbroken profile name wraps */
  }
  .hit .closed {
    display: block;
    font-size: 12px;
  }
  .hit .snippet {
    display: block;
    margin-top: 4px;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  mark {
    background: var(--wcp-color-highlight, #fff3b0);
    color: inherit;
  }
  @media (prefers-color-scheme: dark) {
    mark {
      background: var(--wcp-color-highlight, #6b5a00);
    }
  }
`;
