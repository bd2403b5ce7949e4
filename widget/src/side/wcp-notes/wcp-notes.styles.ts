import { css } from 'lit';

export const notesStyles = css`
  textarea {
    min-height: 72px;
    resize: vertical;
  }
  .list {
    margin-top: 16px;
  }
  .note .meta {
    display: flex;
    justify-content: space-between;
    gap: 8px;
    flex-wrap: wrap;
  }
  .note p {
    margin: 4px 0 0;
    white-space: pre-wrap;
  }
`;
