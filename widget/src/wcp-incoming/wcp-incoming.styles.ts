import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  .card {
    border: 1px solid var(--_border);
    border-inline-start: 4px solid var(--_brand);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: 12px;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.14);
    display: grid;
    gap: 8px;
  }
  h2 {
    font-size: 14px;
    font-weight: 600;
    margin: 0;
  }
  .transfer p {
    margin: 0;
  }
  .transferred-by {
    font-size: 12px;
    font-weight: 600;
    color: var(--_text-subtle);
  }
  /* The note is the transferring agent's own words: kept as written, long words wrapped. */
  .transfer-note {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    padding: 4px 8px;
    border-inline-start: 3px solid var(--_border);
    background: var(--_surface-alt);
  }
  .customer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
    font-weight: 600;
  }
  /* A long unbroken profile name wraps instead of widening the card (and its buttons). */
  .name {
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .authenticated {
    font-size: 12px;
    font-weight: 600;
    color: var(--_success);
    border: 1px solid currentColor;
    border-radius: 999px;
    padding: 0 8px;
  }
  .phone,
  .countdown {
    color: var(--_text-subtle);
    font-size: 12px;
  }
  .first-message {
    margin: 0;
    padding: 8px;
    background: var(--_surface-alt);
    border-radius: var(--_radius);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    max-height: 6lh;
    overflow: auto;
  }
  .actions {
    display: flex;
    gap: 8px;
  }
  .actions button {
    flex: 1;
  }
`;
