/**
 * Writes the control's language resource files, `WhatsAppPanel/strings/WhatsAppPanel.<LCID>.resx`,
 * one per language the panel is translated into: the manifest's own strings (English for now,
 * copied from the 1033 file) and the panel's messages from the widget's generated locale
 * modules (WhatsAppPanel/panel-messages.ts). The control reads them at run time instead of
 * bundling every language (WhatsAppPanel/resx-locales.ts).
 *
 *   npm run resx -w pcf      (after `npm run localize -w widget`; test/resx-locales.test.ts checks they are current)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MESSAGES_KEY, storeTemplates, type StoredMessages } from '../WhatsAppPanel/panel-messages.ts';

const stringsDir = path.resolve(import.meta.dirname, '..', 'WhatsAppPanel', 'strings');
const generatedLocales = path.resolve(import.meta.dirname, '..', '..', 'widget', 'src', 'generated', 'locales');

/** The Dynamics 365 interface language of each panel locale (its language pack's LCID). */
export const LANGUAGE_LCIDS = { ar: 1025, de: 1031, es: 3082, fr: 1036 } as const;

export const resxPath = (lcid: number) => path.join(stringsDir, `WhatsAppPanel.${lcid}.resx`);

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Each language's resource file: path → content. */
export async function languageResx(): Promise<Map<string, string>> {
  const english = readFileSync(resxPath(1033), 'utf8');
  const closing = english.lastIndexOf('</root>');
  if (closing < 0) throw new Error('WhatsAppPanel.1033.resx has no </root>');
  const files = new Map<string, string>();
  for (const [locale, lcid] of Object.entries(LANGUAGE_LCIDS)) {
    const { templates } = (await import(pathToFileURL(path.join(generatedLocales, `${locale}.ts`)).href)) as { templates: Record<string, unknown> };
    const messages: StoredMessages = { locale, templates: storeTemplates(templates) };
    const entry = `  <data name="${MESSAGES_KEY}" xml:space="preserve"><value>${escapeXml(JSON.stringify(messages))}</value></data>\n`;
    files.set(resxPath(lcid), `${english.slice(0, closing)}${entry}</root>\n`);
  }
  return files;
}

async function main() {
  for (const [file, content] of await languageResx()) {
    writeFileSync(file, content);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}

// (No top-level await: the package is CommonJS, and its tests require this module.)
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
