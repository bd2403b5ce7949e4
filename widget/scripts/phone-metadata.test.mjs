// The panel's bundle parses phone numbers with the formats stripped from libphonenumber-js's
// metadata (phone-metadata.mjs). This holds it to the full metadata: for every country's example
// mobile number, written internationally, nationally (with its trunk prefix) and as typed with
// punctuation, both must give the same E.164 number and the same "possible" verdict.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { parsePhoneNumberFromString } from 'libphonenumber-js/core';
import { parsingOnlyMetadata } from './phone-metadata.mjs';

const require = createRequire(import.meta.url);
const full = require('libphonenumber-js/metadata.min.json');
const examples = require('libphonenumber-js/examples.mobile.json');
const pruned = parsingOnlyMetadata(full);

const verdict = (text, options, metadata) => {
  const parsed = parsePhoneNumberFromString(text, options, metadata);
  return parsed ? { number: parsed.number, possible: parsed.isPossible(), ext: parsed.ext ?? null } : null;
};

describe('parsing-only phone metadata', () => {
  it('is much smaller than the metadata it comes from', () => {
    assert.ok(JSON.stringify(pruned).length < JSON.stringify(full).length * 0.5);
  });

  it('parses every country as the full metadata does', () => {
    let compared = 0;
    for (const [country, national] of Object.entries(examples)) {
      const callingCode = full.countries[country]?.[0];
      if (!callingCode) continue;
      const reference = parsePhoneNumberFromString(national, { defaultCountry: country }, full);
      assert.ok(reference, `${country}: the example parses`);
      const spellings = [
        reference.number,
        reference.formatInternational(),
        `00${reference.number.slice(1)}`,
        reference.formatNational(),
        `${reference.formatNational()} ext. 12`,
        `${reference.number}1`,
      ];
      for (const text of spellings) {
        for (const options of [{ extract: false }, { extract: false, defaultCallingCode: callingCode }]) {
          assert.deepEqual(verdict(text, options, pruned), verdict(text, options, full), `${country}: ${text} ${JSON.stringify(options)}`);
          compared++;
        }
      }
    }
    assert.ok(compared > 2000, `compared ${compared} parses`);
  });
});
