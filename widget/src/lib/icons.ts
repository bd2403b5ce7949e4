import { svg } from 'lit';

/**
 * Small line icons (Fluent-like, 16 px, `currentColor`) instead of emoji, which render as
 * empty boxes where no colour-emoji font is installed. Decorative: wrap them in an
 * `aria-hidden` element or give that element the name.
 */
const icon = (path: ReturnType<typeof svg>) =>
  svg`<svg class="icon" width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${path}</svg>`;

export const clockIcon = icon(svg`<circle cx="8" cy="8" r="6"/><path d="M8 4.5V8l2.2 1.6"/>`);
export const blockedIcon = icon(svg`<circle cx="8" cy="8" r="6"/><path d="M3.8 12.2l8.4-8.4"/>`);
export const attachIcon = icon(svg`<path d="M10.5 4.5L5.6 9.4a1.3 1.3 0 001.8 1.8l5-5a2.6 2.6 0 00-3.7-3.7l-5 5a3.9 3.9 0 005.5 5.5l4.3-4.3"/>`);
export const documentIcon = icon(svg`<path d="M4 1.8h5l3 3v9.4H4z"/><path d="M9 1.8v3h3M6 8.5h4M6 11h4"/>`);
