import { css } from 'lit';

export const styles = css`
  /* A flex column, so the panel fills its host even when the host's height is only a min-height (a form section). */
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: 480px;
    container-type: inline-size;
    background: var(--_surface);
    color: var(--_text);
  }
  .panel {
    flex: 1;
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    padding: 6px 12px;
    border-bottom: 1px solid var(--_border);
  }
  header h1 {
    font-size: 14px;
    font-weight: 600;
    margin: 0;
    flex: 1;
  }
  .connection {
    font-size: 12px;
    color: var(--_warning);
  }
  .notice {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0;
    padding: 6px 12px;
    font-size: 12px;
    background: var(--_danger-surface);
    color: var(--_danger);
  }
  .notice button {
    min-height: 24px;
    padding: 0 8px;
    margin-inline-start: auto;
  }
  .offers {
    display: grid;
    gap: 8px;
    padding: 8px;
  }
  .offers:empty {
    display: none;
  }
  .body {
    flex: 1;
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    min-height: 0;
  }
  @container (min-width: 760px) {
    .body {
      grid-template-columns: minmax(0, 1fr) minmax(260px, 340px);
    }
    .side {
      border-inline-start: 1px solid var(--_border);
      border-top: 0;
    }
  }
  .conversation {
    display: flex;
    flex-direction: column;
    min-height: 360px;
    min-width: 0;
  }
  .conversation-header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
    padding: 6px 12px;
    border-bottom: 1px solid var(--_border);
  }
  .conversation-header h2 {
    font-size: 14px;
    font-weight: 600;
    margin: 0;
    flex: 1 1 160px;
    display: flex;
    gap: 6px;
    align-items: baseline;
    flex-wrap: wrap;
  }
  .conversation-header small {
    font-weight: 400;
    color: var(--_text-subtle);
  }
  .closed-note {
    margin: 0;
    padding: 4px 12px;
    font-size: 12px;
    color: var(--_text-subtle);
    border-bottom: 1px solid var(--_border);
  }
  /* Team work: Transfer, Consult, and who is consulting (or the consultant's read-only marker). */
  .team {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
    font-size: 12px;
  }
  .team button {
    min-height: 28px;
    padding: 2px 10px;
    font-size: 12px;
  }
  .team .hint,
  .team .consultants {
    color: var(--_text-subtle);
  }
  /* In place of the reply window in a wrap-up: nothing more goes to the customer. */
  .ended {
    margin: 0;
    padding: 6px 12px;
    font-size: 12px;
    color: var(--_text-subtle);
    border-bottom: 1px solid var(--_border);
  }
  .consulting-marker {
    font-weight: 600;
    color: var(--_warning);
    border: 1px solid currentColor;
    border-radius: 999px;
    padding: 0 8px;
  }
  .authenticated {
    font-size: 11px;
    color: var(--_success);
    border: 1px solid currentColor;
    border-radius: 999px;
    padding: 0 6px;
  }
  wcp-thread {
    flex: 1;
    min-height: 200px;
  }
  .side {
    min-width: 0;
    border-top: 1px solid var(--_border);
    overflow: auto;
  }
  .empty {
    padding: 24px 12px;
    text-align: center;
    color: var(--_text-subtle);
    margin: 0;
  }
`;
