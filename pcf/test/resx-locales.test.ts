/**
 * The control reads the panel's translations from its language resource files: they are
 * current with the widget's generated locales, and what `getString` answers from one becomes,
 * message for message, what the widget would have loaded from its own module.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { LANGUAGE_LCIDS, languageResx, resxPath } from '../scripts/locale-resx.ts';
import { MESSAGES_KEY } from '../WhatsAppPanel/panel-messages.ts';
import { loaders, resxTemplates, useResourceStrings } from '../WhatsAppPanel/resx-locales.ts';

/** `context.resources.getString` as the platform answers it from one resx file: the key itself when absent. */
function resourcesOf(file: string) {
  const xml = readFileSync(file, 'utf8');
  const values = new Map<string, string>();
  for (const [, name, value] of xml.matchAll(/<data name="([^"]+)"[^>]*><value>([\s\S]*?)<\/value><\/data>/g)) {
    values.set(name!, value!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
  }
  return { getString: (id: string) => values.get(id) ?? id };
}

/** A `str` template or a plain one, as the text it renders with `args` (lit-localize's joinStringsAndValues). */
function rendered(template: unknown, args: readonly string[]): string {
  if (typeof template === 'string') return template;
  const { strings, values } = template as { strings: readonly string[]; values: readonly number[] };
  return strings.reduce((text, part, i) => text + (i > 0 ? args[values[i - 1]!] : '') + part, '');
}

describe('the panel messages in the control resource files', () => {
  test('each language file is what `npm run resx -w pcf` writes from the widget locales now', async () => {
    for (const [file, content] of await languageResx()) {
      assert.equal(readFileSync(file, 'utf8'), content, `${file} is out of date: run \`npm run resx -w pcf\` and commit the result`);
    }
  });

  for (const [locale, lcid] of Object.entries(LANGUAGE_LCIDS)) {
    test(`a ${locale} user (LCID ${lcid}) gets every message of the widget's ${locale} module, values in their order`, async () => {
      const { templates: expected } = (await import(`../../widget/src/generated/locales/${locale}.ts`)) as { templates: Record<string, unknown> };
      useResourceStrings(resourcesOf(resxPath(lcid)));
      const { templates } = await loaders[locale as keyof typeof loaders]();
      assert.deepEqual(Object.keys(templates).sort(), Object.keys(expected).sort());
      for (const [id, template] of Object.entries(expected)) {
        assert.equal(rendered(templates[id], ['A', 'B', 'C']), rendered(template, ['A', 'B', 'C']), `message ${id}`);
      }
    });
  }

  test('a German message with a value reads as the widget shows it', async () => {
    useResourceStrings(resourcesOf(resxPath(LANGUAGE_LCIDS.de)));
    const { templates } = await loaders.de();
    const conversationWith = Object.values(templates).find((t) => rendered(t, ['Ana']).startsWith('WhatsApp-Unterhaltung mit'));
    assert.equal(rendered(conversationWith, ['Ana']), 'WhatsApp-Unterhaltung mit Ana');
  });

  test('no messages (English) when the file answering is another language, or has none', () => {
    useResourceStrings(resourcesOf(resxPath(LANGUAGE_LCIDS.fr)));
    assert.deepEqual(resxTemplates('de'), {});
    assert.ok(Object.keys(resxTemplates('fr')).length > 100);
    useResourceStrings(resourcesOf(resxPath(1033)));
    assert.deepEqual(resxTemplates('de'), {});
    useResourceStrings({ getString: (id: string) => (id === MESSAGES_KEY ? '' : id) });
    assert.deepEqual(resxTemplates('de'), {});
  });
});
