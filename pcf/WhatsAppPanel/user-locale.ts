/**
 * The CRM user's language (`context.userSettings.languageId`, a Windows LCID) as the panel's
 * locale. Pure, unit-tested (test/user-locale.test.ts).
 */

/** The languages the panel is translated into. */
export type PanelLanguage = 'en' | 'de' | 'fr' | 'es' | 'ar';

/**
 * The LCID's primary language (its low 10 bits) picks the panel language, so every regional
 * variant counts: 1031 de-DE, 2055 de-CH, 3079 de-AT → de; 1036 fr-FR, 3084 fr-CA → fr;
 * 3082 es-ES (modern sort), 1034 es-ES (traditional), 2058 es-MX → es; 1025 ar-SA, 3073 ar-EG,
 * 14337 ar-AE, every Arabic LCID → ar. Anything else (or no setting) is English.
 */
const PRIMARY_LANGUAGES: Readonly<Record<number, PanelLanguage>> = {
  0x01: 'ar',
  0x07: 'de',
  0x09: 'en',
  0x0a: 'es',
  0x0c: 'fr',
};

/** An LCID's primary language: its low 10 bits, the same for every regional variant (1033 en-US, 2057 en-GB → 0x09). */
export function primaryLanguageId(lcid: number): number {
  return lcid & 0x3ff;
}

export function panelLanguageOf(languageId: number | null | undefined): PanelLanguage {
  if (typeof languageId !== 'number' || !Number.isInteger(languageId) || languageId <= 0) return 'en';
  return PRIMARY_LANGUAGES[primaryLanguageId(languageId)] ?? 'en';
}
