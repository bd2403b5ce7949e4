import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSamePhone, storedPhoneVariants, toE164 } from '../WhatsAppPanel/phone.ts';

test('toE164 accepts international numbers in the usual spellings', () => {
  assert.equal(toE164('+1 (555) 010-1234'), '+15550101234');
  assert.equal(toE164('00 44 20 7946 0958'), '+442079460958');
  assert.equal(toE164('WhatsApp:+49.151.1234.5678'), '+4915112345678');
  assert.equal(toE164('5550101234'), null);
  assert.equal(toE164('+0 555 010'), null);
  assert.equal(toE164('+683 4002'), '+6834002', 'E.164 numbers can have 7 digits (Niue)');
  assert.equal(toE164('+49/151/1234 5678'), '+4915112345678');
  assert.equal(toE164('+1 555 CALL NOW'), null);
  assert.equal(toE164(''), null);
});

test('storedPhoneVariants are the eq-searchable spellings', () => {
  assert.deepEqual(storedPhoneVariants('+15550101234'), ['+15550101234', '0015550101234']);
});

test('isSamePhone compares whatever formatting the CRM holds, with + or 00', () => {
  assert.equal(isSamePhone('+1 555 010 1234', '+15550101234'), true);
  assert.equal(isSamePhone('+1 (415) 555-0100', '+14155550100'), true);
  assert.equal(isSamePhone('0015550101234', '+15550101234'), true);
  assert.equal(isSamePhone('0044 20 7946 0958', '+442079460958'), true);
  assert.equal(isSamePhone('+15550101235', '+15550101234'), false);
  assert.equal(isSamePhone(null, '+15550101234'), false);
  // Digits without + or 00 may be a national number of another country: never a match.
  assert.equal(isSamePhone('4585550100', '+4585550100'), false, "a US number in national form is not Denmark's +45 8555 0100");
  assert.equal(isSamePhone('15550101234', '+15550101234'), false);
});
