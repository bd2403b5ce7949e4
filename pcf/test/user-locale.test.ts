import assert from 'node:assert/strict';
import { test } from 'node:test';
import { panelLanguageOf } from '../WhatsAppPanel/user-locale.ts';

test('the LCIDs Dynamics 365 ships map to the panel languages', () => {
  assert.equal(panelLanguageOf(1033), 'en');
  assert.equal(panelLanguageOf(1031), 'de');
  assert.equal(panelLanguageOf(1036), 'fr');
  assert.equal(panelLanguageOf(3082), 'es');
  assert.equal(panelLanguageOf(1034), 'es');
  assert.equal(panelLanguageOf(1025), 'ar');
});

test('regional variants follow their primary language', () => {
  for (const lcid of [2049, 3073, 4097, 5121, 6145, 7169, 8193, 9217, 10241, 11265, 12289, 13313, 14337, 15361, 16385]) {
    assert.equal(panelLanguageOf(lcid), 'ar', `Arabic LCID ${lcid}`);
  }
  assert.equal(panelLanguageOf(2055), 'de'); // de-CH
  assert.equal(panelLanguageOf(3079), 'de'); // de-AT
  assert.equal(panelLanguageOf(3084), 'fr'); // fr-CA
  assert.equal(panelLanguageOf(2058), 'es'); // es-MX
  assert.equal(panelLanguageOf(2057), 'en'); // en-GB
});

test('unknown, missing or invalid LCIDs give English', () => {
  for (const lcid of [1041, 1049, 2052, 0, -1, 1031.5, Number.NaN, undefined, null]) {
    assert.equal(panelLanguageOf(lcid), 'en', String(lcid));
  }
});
