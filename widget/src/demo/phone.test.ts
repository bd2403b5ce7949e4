import { expect } from '@open-wc/testing';
import { toE164 } from './phone.js';

describe('toE164', () => {
  it('normalizes the ways people type numbers into a CRM', () => {
    expect(toE164('+1 (415) 555-0100')).to.equal('+14155550100');
    expect(toE164('415.555.0175')).to.equal('+14155550175');
    expect(toE164('1-415-555-0175')).to.equal('+14155550175');
    expect(toE164('+44 7700 900123')).to.equal('+447700900123');
    expect(toE164('0049 151 23456789')).to.equal('+4915123456789');
    expect(toE164('07700 900123', '44')).to.equal('+447700900123');
    expect(toE164('+14155550100')).to.equal('+14155550100');
  });

  it('rejects what cannot be a number', () => {
    expect(toE164('')).to.equal(null);
    expect(toE164('call me')).to.equal(null);
    expect(toE164('+0 123')).to.equal(null);
    expect(toE164('+1234567890123456')).to.equal(null);
  });
});
