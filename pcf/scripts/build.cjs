#!/usr/bin/env node
// `npm run build -w pcf`: type-check, pcf-scripts production build (esbuild, see
// featureconfig.json), then checks that the build really produced the control, because
// pcf-scripts exits 0 when its build fails, and rebundles it with the widget's templates
// minified (scripts/bundle.mjs). Prints the bundle's gzipped size (out/size.json).
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const pcfDir = path.resolve(__dirname, '..');
const controlOut = path.join(pcfDir, 'out', 'controls', 'WhatsAppPanel');
const widgetEntry = path.resolve(pcfDir, '..', 'widget', 'src', 'index.ts');

function fail(message) {
  console.error(`\npcf build FAILED: ${message}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: pcfDir, encoding: 'utf8', env: { ...process.env, ...options.env } });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  process.stdout.write(output);
  return { status: result.status, output };
}

function build() {
  if (!existsSync(widgetEntry)) fail(`${path.relative(pcfDir, widgetEntry)} does not exist yet: the control bundles <wcp-panel> from @wcp/widget.`);

  const tsc = require.resolve('typescript/bin/tsc');
  if (run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit']).status !== 0) fail('type errors (above).');

  rmSync(path.join(pcfDir, 'out', 'controls'), { recursive: true, force: true });
  const pcfScripts = require.resolve('pcf-scripts/bin/pcf-scripts.js');
  const { status, output } = run(process.execPath, [pcfScripts, 'build', '--noColor', '--buildMode', 'production'], {
    env: { PP_TOOLS_TELEMETRY_OPTOUT: 'true' },
  });
  // pcf-scripts reports a failed task as "[build] Failed:" and still exits 0.
  if (status !== 0 || /\bFailed:|\[Error\]|error TS\d+|✘ \[ERROR\]/.test(output) || !/\bSucceeded\b/.test(output)) {
    fail('pcf-scripts build reported errors (above).');
  }
  for (const file of ['bundle.js', 'ControlManifest.xml', 'strings/WhatsAppPanel.1033.resx']) {
    if (!existsSync(path.join(controlOut, file))) fail(`pcf-scripts left no ${file} in ${path.relative(pcfDir, controlOut)}.`);
  }
  // The same bundle again with the widget's templates minified (pcf-scripts takes no esbuild plugins).
  if (run(process.execPath, [path.join(__dirname, 'bundle.mjs')]).status !== 0) fail('rebundling the control with minified templates failed (above).');

  const bundle = readFileSync(path.join(controlOut, 'bundle.js'));
  if (!bundle.includes('wcp-panel')) fail('bundle.js does not contain the <wcp-panel> element.');
  // A German message of the widget's: the languages come from the resx files, not the script.
  if (bundle.includes('Antwortfenster')) fail("bundle.js contains the widget's translated messages: scripts/bundle.mjs should read them from strings/*.resx (WhatsAppPanel/resx-locales.ts).");
  const size = { bundleBytes: bundle.length, gzipBytes: zlib.gzipSync(bundle, { level: 9 }).length };
  mkdirSync(path.join(pcfDir, 'out'), { recursive: true });
  writeFileSync(path.join(pcfDir, 'out', 'size.json'), `${JSON.stringify(size, null, 2)}\n`);
  console.log(`\nbundle.js: ${(size.bundleBytes / 1024).toFixed(1)} KB, ${(size.gzipBytes / 1024).toFixed(1)} KB gzipped (out/size.json)`);
  return size;
}

if (require.main === module) build();

module.exports = { build, controlOut };
