// custom-elements.json (the elements' API: attributes, properties, events, CSS parts and custom
// properties) is committed; it must be what `npm run analyze` makes from the sources today.
// Runs the analyzer into a temporary directory (about 3 s) and compares.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const widgetDir = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const cli = path.join(path.dirname(require.resolve('@custom-elements-manifest/analyzer/package.json')), 'cem.js');

test('custom-elements.json matches the sources', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'wcp-cem-'));
  try {
    // --outdir is taken relative to the working directory, even when absolute.
    const args = ['analyze', '--quiet', '--config', 'custom-elements-manifest.config.mjs', '--outdir', path.relative(widgetDir, outdir)];
    const run = spawnSync(process.execPath, [cli, ...args], { cwd: widgetDir, encoding: 'utf8' });
    assert.equal(run.status, 0, `the analyzer failed:\n${run.stdout}${run.stderr}`);
    const fresh = readFileSync(path.join(outdir, 'custom-elements.json'), 'utf8');
    const committed = readFileSync(path.join(widgetDir, 'custom-elements.json'), 'utf8');
    assert.ok(fresh === committed, 'widget/custom-elements.json is out of date with widget/src: run `npm run analyze -w widget` and commit the result.');
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
