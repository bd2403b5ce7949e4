/**
 * The panel's language (`@lit/localize`, runtime mode). English is the source; the other
 * locales' messages are generated from `xliff/*.xlf` into `src/generated/locales/` by
 * `npm run localize -w widget` and loaded when first chosen.
 */
import { configureLocalization } from '@lit/localize';
import { sourceLocale, targetLocales } from '../generated/locale-codes.js';
import { loaders } from './locale-loaders.js';

export type PanelLocale = typeof sourceLocale | (typeof targetLocales)[number];

export const PANEL_LOCALES: readonly PanelLocale[] = [sourceLocale, ...targetLocales];

const { getLocale, setLocale } = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: (locale) => loaders[locale as keyof typeof loaders](),
});

/** The panel locale for a BCP 47 tag ("de-AT" -> "de", "ar-SA" -> "ar"); English when not offered. */
export function panelLocale(tag: string | null | undefined): PanelLocale {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (PANEL_LOCALES as readonly string[]).includes(primary) ? (primary as PanelLocale) : sourceLocale;
}

/** Writing direction of a panel locale. */
export function directionOf(locale: PanelLocale): 'ltr' | 'rtl' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}

/** The locale messages and `Intl` formats are in now. */
export function currentLocale(): PanelLocale {
  return getLocale() as PanelLocale;
}

/** Switches every panel on the page to `locale`; resolves once its messages are loaded. */
export function useLocale(locale: PanelLocale): Promise<void> {
  return getLocale() === locale ? Promise.resolve() : setLocale(locale);
}
