// Every msg() string has a translation in every locale, and the committed XLIFF and generated
// locale modules are what `npm run localize -w widget` makes from the sources today. Runs
// lit-localize's extract and build (one TypeScript analysis) on copies in a temporary directory and
// compares.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

const widgetDir = path.resolve(import.meta.dirname, '..');
// The CLI's own pieces (the package has no exports map), so extract and build share one program.
const { readConfigFileAndWriteSchema } = await import('@lit/localize-tools/lib/config.js');
const { RuntimeLitLocalizer } = await import('@lit/localize-tools/lib/modes/runtime.js');
const config = JSON.parse(readFileSync(path.join(widgetDir, 'lit-localize.json'), 'utf8'));
const committed = (...parts) => path.join(widgetDir, ...parts);

let tmp;
let localizer;

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'wcp-localize-'));
  cpSync(committed(config.interchange.xliffDir), path.join(tmp, 'xliff'), { recursive: true });
  const { $schema: _schema, ...rest } = config;
  const fresh = {
    ...rest,
    tsConfig: committed(config.tsConfig),
    output: { ...config.output, outputDir: path.join(tmp, 'locales'), localeCodesModule: path.join(tmp, 'locale-codes.ts') },
    interchange: { ...config.interchange, xliffDir: path.join(tmp, 'xliff') },
  };
  writeFileSync(path.join(tmp, 'lit-localize.json'), JSON.stringify(fresh));
  localizer = new RuntimeLitLocalizer(readConfigFileAndWriteSchema(path.join(tmp, 'lit-localize.json')));
  const { errors } = localizer.extractSourceMessages();
  assert.deepEqual(errors.map((e) => e.messageText), [], 'lit-localize cannot read the msg() calls');
});

after(() => rmSync(tmp, { recursive: true, force: true }));

test('every message has a translation in every locale', () => {
  for (const locale of config.targetLocales) {
    const xliff = readFileSync(committed(config.interchange.xliffDir, `${locale}.xlf`), 'utf8');
    const units = [...xliff.matchAll(/<trans-unit id="([^"]+)">([\s\S]*?)<\/trans-unit>/g)];
    assert.ok(units.length > 100, `${locale}.xlf has only ${units.length} messages`);
    const untranslated = units.filter(([, , body]) => !/<target>[\s\S]*\S[\s\S]*<\/target>/.test(body)).map(([, id, body]) => `${id}: ${body.trim()}`);
    assert.deepEqual(untranslated, [], `${locale}.xlf lacks translations: add <target> to each, then npm run localize -w widget`);
  }
});

test('the XLIFF files hold exactly the msg() strings of the sources', async () => {
  await localizer.writeInterchangeFiles();
  for (const locale of config.targetLocales) {
    const name = `${locale}.xlf`;
    assert.ok(
      readFileSync(path.join(tmp, 'xliff', name), 'utf8') === readFileSync(committed(config.interchange.xliffDir, name), 'utf8'),
      `widget/xliff/${name} is out of date with widget/src: run \`npm run localize -w widget\`, translate what it added, and commit.`,
    );
  }
});

test('the generated locale modules are built from the XLIFF files', async () => {
  assert.deepEqual(localizer.validateTranslations().errors, [], 'translations whose placeholders differ from the source');
  await localizer.build();
  const files = readdirSync(path.join(tmp, 'locales'));
  assert.deepEqual(files.sort(), config.targetLocales.map((l) => `${l}.ts`).sort());
  for (const [made, kept] of [
    ...files.map((f) => [path.join(tmp, 'locales', f), committed(config.output.outputDir, f)]),
    [path.join(tmp, 'locale-codes.ts'), committed(config.output.localeCodesModule)],
  ]) {
    assert.ok(readFileSync(made, 'utf8') === readFileSync(kept, 'utf8'), `${path.relative(widgetDir, kept)} is stale: run \`npm run localize -w widget\` and commit.`);
  }
});
