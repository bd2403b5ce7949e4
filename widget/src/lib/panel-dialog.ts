import { LitElement } from 'lit';
import { query } from 'lit/decorators.js';
import { deepActiveElement } from './focus.js';

/**
 * A panel dialog that the panel opens and closes (Transfer, Consult): its template's native
 * `<dialog>` opens modal with `show()` (focus moves inside, the panel behind is inert, Escape
 * closes it) and, once closed, gives focus back to where it was opened from — unless what
 * opened it is gone (`close(false)`: the conversation was handed over). The template binds
 * `@close=${this.onClose}`; `reset()` empties the form before each opening.
 */
export abstract class PanelDialog extends LitElement {
  @query('dialog') private dialog!: HTMLDialogElement;
  private returnFocus: HTMLElement | null = null;

  get open(): boolean {
    return this.dialog?.open ?? false;
  }

  /** Opens the dialog with an empty form, remembering the focused element to return to. */
  async show(): Promise<void> {
    this.returnFocus = deepActiveElement();
    this.reset();
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
  }

  /** `restoreFocus: false` when what opened it is gone (the conversation was handed over). */
  close(restoreFocus = true): void {
    if (!restoreFocus) this.returnFocus = null;
    if (this.dialog?.open) this.dialog.close();
  }

  /** Clears what the agent chose or typed last time. */
  protected abstract reset(): void;

  protected onClose(): void {
    this.returnFocus?.focus();
    this.returnFocus = null;
  }
}
