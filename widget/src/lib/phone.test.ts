import { expect } from '@open-wc/testing';
import { toE164 } from './phone.js';

describe('toE164', () => {
  it('normalizes the ways people type international numbers into a CRM', () => {
    expect(toE164('+1 (415) 555-0100')).to.equal('+14155550100');
    expect(toE164('+14155550100')).to.equal('+14155550100');
    expect(toE164('0044 20 7946 0958')).to.equal('+442079460958');
    expect(toE164('whatsapp:+14155550100')).to.equal('+14155550100');
    expect(toE164('WhatsApp:+49.151.1234.5678')).to.equal('+4915112345678');
    expect(toE164('+49/151/1234 5678')).to.equal('+4915112345678');
    expect(toE164('+683 4002'), 'E.164 numbers can have 7 digits (Niue)').to.equal('+6834002');
  });

  it('does not guess a country for a national number', () => {
    expect(toE164('555-0100')).to.equal(null);
    expect(toE164('4155550100')).to.equal(null);
  });

  it('takes a national number in the calling code it is given, without its trunk prefix', () => {
    expect(toE164('415.555.0175', '1')).to.equal('+14155550175');
    expect(toE164('1-415-555-0175', '1')).to.equal('+14155550175');
    expect(toE164('07700 900123', '44')).to.equal('+447700900123');
    expect(toE164('0049 151 23456789', '1')).to.equal('+4915123456789');
    expect(toE164('+44 7700 900123', '1')).to.equal('+447700900123');
  });

  it('rejects what cannot be a number', () => {
    expect(toE164('')).to.equal(null);
    expect(toE164(null)).to.equal(null);
    expect(toE164('call me')).to.equal(null);
    expect(toE164('call me on +14155550100')).to.equal(null);
    expect(toE164('+1 555 CALL NOW')).to.equal(null);
    expect(toE164('+0 123')).to.equal(null);
    expect(toE164('+1234567890123456')).to.equal(null);
    expect(toE164('+1 415 555 0100 ext. 5')).to.equal(null);
  });
});
