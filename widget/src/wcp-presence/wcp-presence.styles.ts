import { css } from 'lit';

export const styles = css`
  :host {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  .dot {
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--_text-subtle);
  }
  .dot.available {
    background: #13a10e;
  }
  .dot.busy,
  .dot.dnd {
    background: #d13438;
  }
  .dot.away {
    background: #eaa300;
  }
  select {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    min-height: 32px;
    padding: 2px 6px;
  }
`;
