// esbuild plugin: the panel ships libphonenumber-js's "min" metadata without its formatting
// rules. The panel only turns what a CRM field holds into E.164 and asks whether the number is
// possible (widget/src/lib/phone.ts: parse + isPossible); neither reads a country's `formats`
// (used only by format() and AsYouType, which the panel never calls), and they were 51 of the
// metadata's 84 KB — the largest single part of the bundle. Parsing still has every country's
// calling code, national prefix rules, number patterns and possible lengths.
// scripts/phone-metadata.test.mjs parses numbers of every country with both metadata sets and
// requires the same answers. Used by widget/build.mjs and pcf/scripts/bundle.mjs.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** In a country's metadata array (libphonenumber-js metadata v4), where its formats are. */
const FORMATS = 4;

/** libphonenumber-js's min metadata with each country's formats removed. */
export function parsingOnlyMetadata(full = require('libphonenumber-js/metadata.min.json')) {
  const countries = Object.fromEntries(
    Object.entries(full.countries).map(([country, data]) => {
      const copy = [...data];
      // `formats()` falls back to [] when the slot is empty.
      if (copy.length > FORMATS) copy[FORMATS] = 0;
      return [country, copy];
    }),
  );
  return { ...full, countries };
}

export function phoneMetadataPlugin() {
  return {
    name: 'wcp-phone-metadata',
    setup(build) {
      build.onLoad({ filter: /[\\/]libphonenumber-js[\\/]metadata\.min\.json\.js$/ }, () => ({
        contents: `export default ${JSON.stringify(parsingOnlyMetadata())};`,
        loader: 'js',
      }));
    },
  };
}
