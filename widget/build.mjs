// Production bundle of the panel (ES2022, minified, templates minified) and, when present, the
// demo page. Prints the gzipped size and writes dist/size.json so the size can be tracked.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { minifyTemplatesPlugin } from './scripts/minify-templates.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const common = {
  bundle: true,
  format: 'esm',
  // Lit 3 itself is published as ES2021 and the PCF bundle (pcf-scripts' esbuild) was always
  // ES2022+; lowering to ES2017 only rewrote ?., ?? and static blocks longhand (+2 KB gzipped).
  target: 'es2022',
  // WCP_NO_MINIFY=1 keeps names, for reading a page profile (the felt bench's BENCH_PROFILE).
  minify: process.env.WCP_NO_MINIFY !== '1',
  legalComments: 'none',
  tsconfig: join(root, 'tsconfig.json'),
  // Lit's production build: no dev-mode warnings or checks.
  conditions: ['production'],
  define: { 'process.env.NODE_ENV': '"production"' },
  // Whitespace inside html``/css`` templates, which esbuild's minifier keeps.
  plugins: [minifyTemplatesPlugin()],
  logLevel: 'warning',
};

await mkdir(dist, { recursive: true });
await build({ ...common, entryPoints: [join(root, 'src/index.ts')], outfile: join(dist, 'wcp-panel.js') });

const demoEntry = join(root, 'src/demo/main.ts');
if (existsSync(demoEntry)) {
  await mkdir(join(dist, 'demo'), { recursive: true });
  await build({ ...common, entryPoints: [demoEntry], outfile: join(dist, 'demo/demo.js') });
  // The page and its stylesheet are static files next to demo.js (no inline style: the relay's CSP).
  for (const file of ['index.html', 'demo.css']) {
    const source = join(root, 'src/demo', file);
    if (existsSync(source)) await copyFile(source, join(dist, 'demo', file));
  }
}

// The demo supervisor page (`/supervisor`): <wcp-supervisor> with a dev supervisor token.
const supervisorEntry = join(root, 'src/supervisor/main.ts');
if (existsSync(supervisorEntry)) {
  await mkdir(join(dist, 'supervisor'), { recursive: true });
  await build({ ...common, entryPoints: [supervisorEntry], outfile: join(dist, 'supervisor/supervisor.js') });
  for (const file of ['index.html', 'supervisor.css']) await copyFile(join(root, 'src/supervisor', file), join(dist, 'supervisor', file));
}

const bundle = await readFile(join(dist, 'wcp-panel.js'));
const size = { file: 'wcp-panel.js', bytes: bundle.length, gzipBytes: gzipSync(bundle, { level: 9 }).length };
await writeFile(join(dist, 'size.json'), `${JSON.stringify(size, null, 2)}\n`);
console.log(`wcp-panel.js: ${(size.bytes / 1024).toFixed(1)} KB, ${(size.gzipBytes / 1024).toFixed(1)} KB gzip`);
