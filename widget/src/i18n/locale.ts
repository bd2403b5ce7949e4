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

let lastFormatting: { language: string; languages: readonly string[]; locale: string } | null = null;

/**
 * The locale dates, times and numbers are written in: the panel's language as the browser's
 * region writes it (an agent reading the English panel in the UK sees 14:32, not 2:32 PM), or
 * the language itself when the browser prefers none of its regions.
 */
export function formattingLocale(languages: readonly string[] = globalThis.navigator?.languages ?? []): string {
  const language = currentLocale();
  // Asked for every time and number a render writes: worked out again only when the panel's
  // language or the browser's list (the same array until it changes) does.
  if (lastFormatting?.language === language && lastFormatting.languages === languages) return lastFormatting.locale;
  const regional = languages.find((tag) => tag.includes('-') && tag.split('-')[0]!.toLowerCase() === language);
  let locale: string = language;
  try {
    if (regional && Intl.DateTimeFormat.supportedLocalesOf([regional]).length) locale = regional;
  } catch {
    // not a well-formed tag: the language alone
  }
  lastFormatting = { language, languages, locale };
  return locale;
}

/** Switches every panel on the page to `locale`; resolves once its messages are loaded. */
export function useLocale(locale: PanelLocale): Promise<void> {
  return getLocale() === locale ? Promise.resolve() : setLocale(locale);
}
