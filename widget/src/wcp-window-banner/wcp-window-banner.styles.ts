import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    font-size: 12px;
  }
  .status {
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 4px 12px;
    color: var(--_text-subtle);
    background: var(--_surface);
    border-bottom: 1px solid var(--_border);
  }
  .status.warning {
    color: var(--_warning);
    background: var(--_warning-surface);
    font-weight: 600;
  }
  .status.closed {
    color: var(--_danger);
    background: var(--_danger-surface);
  }
  .expired {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    padding: 8px 12px;
    color: var(--_danger);
    background: var(--_danger-surface);
    border-bottom: 1px solid var(--_danger);
    font-size: 14px;
  }
  .expired [role='alert'] {
    flex: 1 1 220px;
    margin: 0;
  }
  .referral {
    padding: 4px 12px;
    background: var(--_surface);
    border-bottom: 1px solid var(--_border);
  }
  .referral p {
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
  }
  .referral a {
    color: inherit;
    text-decoration: underline;
  }
  .free-entry {
    color: var(--_text-subtle);
  }
`;
