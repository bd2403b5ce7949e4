#!/usr/bin/env node
// Rebundles the control after pcf-scripts' build (build.cjs runs this). pcf-scripts compiles
// with esbuild (featureconfig.json: pcfUseESBuild) but takes no esbuild plugins, so its
// bundle.js carries every newline and indent of the widget's html``/css`` templates. This
// writes the same bundle with pcf-scripts 1.51's esbuild options (entry, IIFE under its global
// name, minified, tree-shaken, .svg as data URLs) plus the widget's template minifier
// (widget/scripts/minify-templates.mjs), and keeps the registration stub pcf-scripts appended.
import { build } from 'esbuild';
import { appendFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minifyTemplatesPlugin } from '../../widget/scripts/minify-templates.mjs';

const require = createRequire(import.meta.url);
const { BUNDLE_NAME, TEMP_NAMESPACE } = require('pcf-scripts/constants');

const pcfDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundlePath = path.join(pcfDir, 'out', 'controls', 'WhatsAppPanel', BUNDLE_NAME);

// pcf-scripts appends `if (window.ComponentFramework && window.ComponentFramework.registerControl)
// { ComponentFramework.registerControl('Wcp.WhatsAppPanel', <global>.WhatsAppPanel) } else ...`.
const fromPcfScripts = readFileSync(bundlePath, 'utf8');
const stubStart = fromPcfScripts.lastIndexOf('\nif (window.ComponentFramework');
const stub = stubStart < 0 ? '' : fromPcfScripts.slice(stubStart);
if (!stub.includes(`${TEMP_NAMESPACE}.WhatsAppPanel`)) {
  console.error(`pcf bundle FAILED: no pcf-scripts registration stub at the end of ${path.relative(pcfDir, bundlePath)}.`);
  process.exit(1);
}

// The widget's locale modules are not bundled: the control reads a language's messages from its
// resource file (WhatsAppPanel/resx-locales.ts stands in for widget/src/i18n/locale-loaders.ts).
const widgetI18n = path.resolve(pcfDir, '..', 'widget', 'src', 'i18n');
const messagesFromResx = {
  name: 'messages-from-resx',
  setup(build) {
    build.onResolve({ filter: /^\.\/locale-loaders\.js$/ }, (args) =>
      path.resolve(args.resolveDir) === widgetI18n ? { path: path.join(pcfDir, 'WhatsAppPanel', 'resx-locales.ts') } : undefined,
    );
  },
};

await build({
  absWorkingDir: pcfDir,
  entryPoints: ['./WhatsAppPanel/index.ts'],
  bundle: true,
  outfile: bundlePath,
  minify: true,
  treeShaking: true,
  globalName: TEMP_NAMESPACE,
  loader: { '.svg': 'dataurl' },
  plugins: [minifyTemplatesPlugin(), messagesFromResx],
  logLevel: 'warning',
});
appendFileSync(bundlePath, stub, 'utf8');
