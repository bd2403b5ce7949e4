import { css } from 'lit';

export const styles = css`
  :host {
    position: relative;
    display: flex;
    flex-direction: column;
    min-height: 0;
    background: var(--_surface-alt);
  }
  lit-virtualizer {
    flex: 1;
    min-height: 120px;
    height: 100%;
    padding: 8px 0;
  }
  .older {
    display: flex;
    justify-content: center;
    padding: 4px 0 8px;
    width: 100%;
  }
  .empty {
    padding: 24px;
    text-align: center;
    color: var(--_text-subtle);
  }
  .new-messages {
    position: absolute;
    bottom: 12px;
    left: 50%;
    transform: translateX(-50%);
    padding: 4px 12px;
    border: 1px solid var(--_brand);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
    cursor: pointer;
  }
`;
