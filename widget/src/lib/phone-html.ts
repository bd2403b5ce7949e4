import { html, type TemplateResult } from 'lit';

/**
 * A phone number on screen: isolated and left to right whatever the panel's direction. In an
 * Arabic panel a bare "+1 (415) 555-0100" is laid out by the bidi algorithm as
 * "555-0100 (415) 1+" — the plus at the end, the groups reversed — and read wrong.
 */
export function phoneText(phone: string): TemplateResult {
  return html`<bdi dir="ltr">${phone}</bdi>`;
}
