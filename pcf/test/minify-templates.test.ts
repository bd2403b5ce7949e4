// The template minifier both bundles use (widget/scripts/minify-templates.mjs, run by
// widget/build.mjs and scripts/bundle.mjs): what it may change and what it must leave alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';

type Plugin = { minifyTemplates(source: string, fileName: string): Promise<string> };
const pluginUrl = new URL('../../widget/scripts/minify-templates.mjs', import.meta.url).href;
const minify = async (source: string) => ((await import(pluginUrl)) as Plugin).minifyTemplates(source, 'sample.ts');

test('html templates lose indentation but keep the spaces that show', async () => {
  const out = await minify(`const t = (a: string, b: string, onClick: () => void) => html\`
      <div class="row \${a}">
        <button class="reply" @click=\${onClick}>
          Reply<span class="visually-hidden"> to this message</span>
        </button>
        <span>\${a} \${b}</span>
      </div>
    \`;`);
  assert.ok(!/\n\s/.test(out), out);
  assert.ok(out.includes('Reply<span class="visually-hidden"> to this message</span>'), out);
  assert.ok(out.includes('<span>${a} ${b}</span>'), out);
  assert.ok(out.includes('class="row ${a}"'), out);
  assert.match(out, /@click="?\$\{onClick\}/);
});

test('css templates are minified', async () => {
  const out = await minify('const s = css`\n  :host {\n    color: #ffffff;\n    margin: 0px;\n  }\n`;');
  assert.equal(out, 'const s = css`:host{color:#fff;margin:0}`;');
});

test('svg fragments stay as written (self-closing elements without an <svg> root)', async () => {
  const source = 'const clock = svg`<circle cx="8" cy="8" r="6"/><path d="M8 4.5V8l2.2 1.6"/>`;';
  assert.equal(await minify(source), source);
});

test('untagged template literals and other strings are untouched', async () => {
  const source = 'const text = `Line one\n    line two`;\nconst other = "a   b";';
  assert.equal(await minify(source), source);
});
