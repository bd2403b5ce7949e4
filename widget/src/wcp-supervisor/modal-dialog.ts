import { LitElement, type PropertyValues } from 'lit';
import { DialogDismissEvent } from './supervisor-events.js';

/**
 * A supervisor dialog: its template's <dialog> opens modal as soon as it renders (focus moves
 * into it, the page behind is inert) and Escape or Cancel raise `wcp-dialog-dismiss`; the
 * page decides when it goes away, so an error can stay shown inside it.
 *
 * @fires {DialogDismissEvent} wcp-dialog-dismiss - Escape or Cancel
 */
export abstract class ModalDialog extends LitElement {
  protected override firstUpdated(changed: PropertyValues): void {
    super.firstUpdated(changed);
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  /** Escape: the browser would close the dialog itself; the page removes it instead. */
  protected onCancel(event: Event): void {
    event.preventDefault();
    this.dismiss();
  }

  protected dismiss(): void {
    this.dispatchEvent(new DialogDismissEvent());
  }
}
