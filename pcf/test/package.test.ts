import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import JSZip from 'jszip';

const require = createRequire(import.meta.url);
const { readManifest } = require('../scripts/package.cjs') as { readManifest(xml: string): { namespace: string; constructor: string; version: string; code: string; resx: string[] } };

const pcfDir = path.resolve(import.meta.dirname, '..');
const packageVersion = (JSON.parse(readFileSync(path.join(pcfDir, 'package.json'), 'utf8')) as { version: string }).version;
const widgetReady = existsSync(path.join(pcfDir, '..', 'widget', 'src', 'index.ts'));
const CONTROL = 'wcp_Wcp.WhatsAppPanel';

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

test('the control version in ControlManifest.Input.xml is the package version', () => {
  const input = readFileSync(path.join(pcfDir, 'WhatsAppPanel', 'ControlManifest.Input.xml'), 'utf8');
  assert.equal(readManifest(input).version, packageVersion);
});

describe('npm run package', { skip: widgetReady ? false : 'widget/src/index.ts (the <wcp-panel> bundle entry) does not exist yet' }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wcp-solution-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const zipPath = path.join(dir, 'WhatsAppPanelSolution.zip');
  let zip: JSZip;

  test('builds the control and writes the solution zip', async () => {
    const run = spawnSync(process.execPath, [path.join(pcfDir, 'scripts', 'package.cjs'), '--out', zipPath], { cwd: pcfDir, encoding: 'utf8' });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    zip = await JSZip.loadAsync(readFileSync(zipPath));
  });

  test('has exactly the files of an unmanaged solution with one code component', () => {
    const files = Object.values(zip.files)
      .filter((entry) => !entry.dir)
      .map((entry) => entry.name)
      .sort();
    assert.deepEqual(files, [
      `Controls/${CONTROL}/ControlManifest.xml`,
      `Controls/${CONTROL}/bundle.js`,
      `Controls/${CONTROL}/strings/WhatsAppPanel.1025.resx`,
      `Controls/${CONTROL}/strings/WhatsAppPanel.1031.resx`,
      `Controls/${CONTROL}/strings/WhatsAppPanel.1033.resx`,
      `Controls/${CONTROL}/strings/WhatsAppPanel.1036.resx`,
      `Controls/${CONTROL}/strings/WhatsAppPanel.3082.resx`,
      '[Content_Types].xml',
      'customizations.xml',
      'solution.xml',
    ]);
  });

  test('solution.xml: unmanaged, versioned like package.json, publisher wcp, the control as a root component', async () => {
    const xml = await zip.file('solution.xml')!.async('string');
    assert.equal(tag(xml, 'UniqueName'), 'WhatsAppCommunicationPanel');
    assert.equal(tag(xml, 'Version'), packageVersion);
    assert.equal(tag(xml, 'Managed'), '0');
    assert.equal(tag(xml, 'CustomizationPrefix'), 'wcp');
    const optionValuePrefix = Number(tag(xml, 'CustomizationOptionValuePrefix'));
    assert.ok(optionValuePrefix >= 10000 && optionValuePrefix <= 99999);
    assert.match(xml, new RegExp(`<RootComponent type="66" schemaName="${CONTROL.replace('.', '\\.')}" behavior="0" />`));
  });

  test('the zip carries the tables: three entities in customizations.xml, root components type 1 in solution.xml', async () => {
    const customizations = await zip.file('customizations.xml')!.async('string');
    const entities = [...customizations.matchAll(/<Entity>\s*<Name [^>]*>([^<]+)<\/Name>/g)].map((m) => m[1]);
    assert.deepEqual(entities, ['wcp_whatsappconversation', 'wcp_quickreply', 'wcp_agentscript']);
    const solution = await zip.file('solution.xml')!.async('string');
    for (const table of entities) assert.match(solution, new RegExp(`<RootComponent type="1" schemaName="${table}" behavior="0" />`));
  });

  test('customizations.xml registers the control and points at its manifest', async () => {
    const xml = await zip.file('customizations.xml')!.async('string');
    assert.match(xml, new RegExp(`<CustomControls>\\s*<CustomControl>\\s*<Name>${CONTROL}</Name>\\s*<FileName>/Controls/${CONTROL}/ControlManifest.xml</FileName>`));
    assert.ok(zip.file(`Controls/${CONTROL}/ControlManifest.xml`));
  });

  test('[Content_Types].xml covers every file extension in the zip', async () => {
    const xml = await zip.file('[Content_Types].xml')!.async('string');
    const declared = [...xml.matchAll(/Extension="([^"]+)"/g)].map((m) => m[1]);
    for (const name of Object.keys(zip.files)) assert.ok(declared.includes(path.extname(name).slice(1)), `${name} has no content type`);
  });

  test('the manifest names the bundle and strings that are inside, and its version agrees', async () => {
    const xml = await zip.file(`Controls/${CONTROL}/ControlManifest.xml`)!.async('string');
    const manifest = readManifest(xml);
    assert.equal(`wcp_${manifest.namespace}.${manifest.constructor}`, CONTROL);
    assert.equal(manifest.version, packageVersion);
    assert.equal(manifest.code, 'bundle.js');
    // English (the manifest's strings), then a file per language the panel's messages are translated into.
    assert.deepEqual(manifest.resx, ['1033', '1025', '1031', '1036', '3082'].map((lcid) => `strings/WhatsAppPanel.${lcid}.resx`));
    for (const resource of [manifest.code, ...manifest.resx]) assert.ok(zip.file(`Controls/${CONTROL}/${resource}`), `${resource} is not in the zip`);
  });

  test('the bundle registers Wcp.WhatsAppPanel and carries <wcp-panel>', async () => {
    const bundle = await zip.file(`Controls/${CONTROL}/bundle.js`)!.async('string');
    assert.match(bundle, /ComponentFramework\.registerControl\('Wcp\.WhatsAppPanel'/);
    assert.ok(bundle.includes('wcp-panel'));
  });
});
