import { oneEvent } from '@open-wc/testing';

/** The next event of that type, typed through HTMLElementEventMap. */
export function nextEvent<K extends keyof HTMLElementEventMap>(el: EventTarget, type: K): Promise<HTMLElementEventMap[K]> {
  return oneEvent(el, type) as unknown as Promise<HTMLElementEventMap[K]>;
}

/** A button in the element's shadow root by its accessible text (aria-label or visible text). */
export function button(el: Element, name: string): HTMLButtonElement {
  const found = [...el.shadowRoot!.querySelectorAll('button')].find(
    (b) => (b.getAttribute('aria-label') ?? b.textContent!.trim()) === name,
  );
  if (!found) throw new Error(`no button named "${name}"`);
  return found;
}

/** A form control in the element's shadow root by its label text. */
export function control<T extends HTMLElement = HTMLInputElement>(el: Element, labelText: string): T {
  const label = [...el.shadowRoot!.querySelectorAll('label')].find((l) =>
    l.textContent!.replace(/\s*\*\s*$/, '').trim() === labelText,
  );
  if (!label) throw new Error(`no label "${labelText}"`);
  const found = label.htmlFor
    ? el.shadowRoot!.getElementById(label.htmlFor)
    : label.querySelector('input, select, textarea');
  if (!found) throw new Error(`no control for "${labelText}"`);
  return found as T;
}
