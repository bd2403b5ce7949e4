/**
 * The panel's messages in a language's resource file (`strings/WhatsAppPanel.<LCID>.resx`):
 * the control reads them with `context.resources.getString`, which answers from the file of
 * the user's language. One entry holds them all, as JSON, so the control needs no list of
 * message ids: `{ locale, templates }`, a template being a plain string or, for a message with
 * values (`str` in the widget), its strings and the order of its values.
 */
import { str } from '@lit/localize';

/** The resource key of the panel's messages. */
export const MESSAGES_KEY = 'WcpPanel_Messages';

export type StoredTemplate = string | { strings: string[]; values: number[] };

export interface StoredMessages {
  locale: string;
  templates: Record<string, StoredTemplate>;
}

/** A `str` template as lit-localize's generated locale modules hold it. */
interface StrTemplate {
  strTag: true;
  strings: readonly string[];
  values: readonly unknown[];
}
type Template = string | StrTemplate;

/** A generated locale module's templates as stored in a resource file. */
export function storeTemplates(templates: Readonly<Record<string, unknown>>): Record<string, StoredTemplate> {
  const stored: Record<string, StoredTemplate> = {};
  for (const [id, template] of Object.entries(templates)) {
    if (typeof template === 'string') stored[id] = template;
    else if (isStr(template)) stored[id] = { strings: [...template.strings], values: template.values.map(Number) };
    else throw new Error(`message ${id}: only plain and str templates can be stored in a resource file`);
  }
  return stored;
}

/** The stored templates as lit-localize takes them (`configureLocalization`'s `loadLocale`). */
export function restoreTemplates(stored: Readonly<Record<string, StoredTemplate>>): Record<string, Template> {
  const templates: Record<string, Template> = {};
  for (const [id, template] of Object.entries(stored)) {
    if (typeof template === 'string') templates[id] = template;
    else templates[id] = str(Object.assign([...template.strings], { raw: [...template.strings] }), ...template.values) as unknown as StrTemplate;
  }
  return templates;
}

function isStr(template: unknown): template is StrTemplate {
  return typeof template === 'object' && template !== null && (template as StrTemplate).strTag === true;
}
