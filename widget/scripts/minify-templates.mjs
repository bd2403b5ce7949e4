// esbuild plugin: minifies the markup and styles inside the widget's html`` and css`` template
// literals before esbuild compiles them. esbuild's own minifier leaves template
// literal contents alone, so every newline and indent of the templates and of the stylesheets
// used to ship (about 1.7 KB of the gzipped bundle).
//
// The work is done by @lit-labs/rollup-plugin-minify-html-literals (the Lit team's
// maintained continuation of minify-html-literals: html-minifier-next for markup, lightningcss
// for CSS, TypeScript's parser to find the templates, bindings kept in place). Only its
// library function is used; this file adapts it to esbuild. Used by widget/build.mjs and by
// pcf/scripts/bundle.mjs, so the panel and the PCF control ship the same templates.
import { readFile } from 'node:fs/promises';
import { minifyHTMLLiterals } from '@lit-labs/rollup-plugin-minify-html-literals/lib/minify-html-literals.js';

/** The widget's own source files (an esbuild filter: Go regular-expression syntax). */
const WIDGET_SOURCE = /[\\/]widget[\\/]src[\\/].*\.ts$/;

/**
 * Markup templates: html`` only. An svg`` fragment (lib/icons.ts) has no <svg> root, so the HTML
 * minifier would read `<circle/><path/>` as HTML and drop the self-closing slashes, nesting the
 * path inside the circle (the clock icon lost its hands). Those few fragments stay as written.
 */
const isHtmlTemplate = (template) => template.tag?.toLowerCase() === 'html';

/** `source` with its html`` and css`` template literals minified (unchanged when it has none). */
export async function minifyTemplates(source, fileName) {
  // Throws when a template cannot be minified safely (e.g. a binding the minifier would move):
  // the build then fails and names the file, instead of shipping something else.
  const result = await minifyHTMLLiterals(source, { fileName, generateSourceMap: false, shouldMinify: isHtmlTemplate });
  return result ? result.code : source;
}

/** @returns {import('esbuild').Plugin} */
export function minifyTemplatesPlugin() {
  return {
    name: 'wcp-minify-templates',
    setup(build) {
      build.onLoad({ filter: WIDGET_SOURCE }, async ({ path }) => ({
        contents: await minifyTemplates(await readFile(path, 'utf8'), path),
        loader: 'ts',
      }));
    },
  };
}
