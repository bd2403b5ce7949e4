import { css } from 'lit';

export const sidePaneStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-width: 0;
    background: var(--_surface);
  }
  /* Seven tabs do not fit a 340 px column or a phone: they wrap rather than hide behind a scrollbar. */
  [role='tablist'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0 2px;
    padding: 0 4px;
    border-bottom: 1px solid var(--_border);
    flex: none;
  }
  [role='tab'] {
    border: none;
    border-radius: 0;
    background: transparent;
    padding: 6px 8px;
    white-space: nowrap;
    color: var(--_text-subtle);
    border-bottom: 2px solid transparent;
    margin-bottom: -1px;
  }
  [role='tab']:hover:not(:disabled) {
    background: var(--_surface-alt);
    color: var(--_text);
  }
  [role='tab'][aria-selected='true'] {
    color: var(--_text);
    font-weight: 600;
    border-bottom-color: var(--_brand);
  }
  [role='tab']:focus-visible {
    outline-offset: -2px;
  }
  .count {
    display: inline-block;
    min-width: 18px;
    margin-inline-start: 4px;
    padding: 0 5px;
    border-radius: 9px;
    font-size: 11px;
    line-height: 16px;
    background: var(--_brand);
    color: var(--_on-brand);
    font-weight: 600;
  }
  [role='tabpanel'] {
    padding: 12px;
    overflow: auto;
    flex: 1 1 auto;
    min-height: 0;
  }
  [role='tabpanel']:focus-visible {
    outline: 2px solid var(--_brand);
    outline-offset: -2px;
  }
  [role='tabpanel'][hidden] {
    display: none;
  }
`;
