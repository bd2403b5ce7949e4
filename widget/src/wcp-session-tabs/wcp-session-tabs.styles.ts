import { css } from 'lit';

export const styles = css`
  /* On a narrow form the sort button wraps under the tabs instead of squeezing them. */
  :host {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    align-items: stretch;
    gap: 4px;
    border-bottom: 1px solid var(--_border);
    background: var(--_surface);
  }
  [role='tablist'] {
    display: flex;
    flex: 1 1 220px;
    overflow-x: auto;
    min-width: 0;
  }
  /* Drawn inside the tab: the strip scrolls (overflow), and clipped the usual ring to one edge. */
  [role='tab']:focus-visible {
    outline-offset: -2px;
  }
  [role='tab'] {
    border: 0;
    border-bottom: 3px solid transparent;
    border-radius: 0;
    background: transparent;
    padding: 6px 10px;
    text-align: start;
    white-space: nowrap;
    display: grid;
    min-height: 40px;
  }
  [role='tab'][aria-selected='true'] {
    border-bottom-color: var(--_brand);
    font-weight: 600;
  }
  .tag {
    margin-inline-start: 6px;
    padding: 0 5px;
    border: 1px solid var(--_border);
    border-radius: 9px;
    font-size: 11px;
    font-weight: 400;
  }
  .window {
    font-size: 11px;
    font-weight: 400;
    color: var(--_text-subtle);
  }
  .window.soon {
    color: var(--_warning);
  }
  .badge {
    display: inline-block;
    min-width: 18px;
    margin-inline-start: 6px;
    padding: 0 5px;
    border-radius: 9px;
    background: var(--_brand);
    color: var(--_on-brand);
    font-size: 11px;
    line-height: 18px;
    text-align: center;
  }
  .sort {
    align-self: center;
    margin-inline-end: 4px;
    font-size: 12px;
    min-height: 28px;
  }
  .sort[aria-pressed='true'] {
    border-color: var(--_brand);
    color: var(--_brand);
  }
`;
