/** The focused element, looked for through open shadow roots (a dialog gives focus back to it). */
export function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/**
 * A dialog's submit button, disabled while the relay answers, drops the focus to the page. When
 * the answer is in and the dialog still open (a refusal, shown in it), the focus goes back to the
 * form's choice, where the user picks again. For a dialog's `updated`: `wasBusy` is the old value.
 */
export function refocusAfterBusy(root: ShadowRoot | null, wasBusy: unknown, busy: boolean): void {
  if (wasBusy === true && !busy && root && !root.activeElement) root.querySelector<HTMLElement>('dialog[open] select')?.focus();
}
