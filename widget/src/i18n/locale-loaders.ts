/**
 * Where each target locale's messages come from: the generated modules, loaded when first
 * chosen. The Power Apps control's bundle replaces this module (pcf/scripts/bundle.mjs) with
 * one that reads them from the control's language resource files instead: a control ships one
 * script, so these imports would be inlined there, ~25 KB gzipped of four languages for a
 * user who reads one.
 */
import type { targetLocales } from '../generated/locale-codes.js';

// One entry per locale (not a template import) so every bundler, pcf-scripts' included, sees them.
export const loaders = {
  ar: () => import('../generated/locales/ar.js'),
  de: () => import('../generated/locales/de.js'),
  es: () => import('../generated/locales/es.js'),
  fr: () => import('../generated/locales/fr.js'),
} satisfies Record<(typeof targetLocales)[number], () => Promise<unknown>>;
