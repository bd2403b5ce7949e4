/**
 * The control's stand-in for the widget's `i18n/locale-loaders.ts` (pcf/scripts/bundle.mjs swaps
 * it in): a locale's messages come from the resource file of the user's language, not from
 * modules bundled into the one script a control ships. Tested in test/resx-locales.test.ts.
 */
import type { targetLocales } from '../../widget/src/generated/locale-codes.js';
import { MESSAGES_KEY, restoreTemplates, type StoredMessages } from './panel-messages.ts';

type Strings = Pick<ComponentFramework.Resources, 'getString'>;
let resources: Strings | undefined;

/** The control's `context.resources`: set in `init`, before the panel chooses its language. */
export function useResourceStrings(strings: Strings): void {
  resources = strings;
}

/**
 * The messages of `locale`, or none (the panel then shows English): getString answers a key it
 * does not have with the key itself, and the file it answers from is the user's interface
 * language, which is also what chose the panel's — another language's file is not used.
 */
export function resxTemplates(locale: string): ReturnType<typeof restoreTemplates> {
  const raw = resources?.getString(MESSAGES_KEY);
  if (!raw || raw === MESSAGES_KEY) return {};
  const messages = JSON.parse(raw) as StoredMessages;
  return messages.locale === locale ? restoreTemplates(messages.templates) : {};
}

const load = (locale: string) => () => Promise.resolve({ templates: resxTemplates(locale) });

export const loaders = {
  ar: load('ar'),
  de: load('de'),
  es: load('es'),
  fr: load('fr'),
} satisfies Record<(typeof targetLocales)[number], () => Promise<unknown>>;
