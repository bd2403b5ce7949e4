import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSharedVCards, parseVCards } from '../../src/twilio/vcard.ts';

// As WhatsApp shares a contact through Twilio (vCard 3.0, waid on the number).
const WHATSAPP_CARD = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Souza;Ana;;;',
  'FN:Ana Souza',
  'item1.TEL;waid=5511987654321:+55 11 98765-4321',
  'item1.X-ABLabel:Mobile',
  'TEL;type=WORK:+55 11 3333-4444',
  'END:VCARD',
].join('\r\n');

describe('parseVCards', () => {
  it('reads the name and every number in E.164, the WhatsApp id first', () => {
    assert.deepEqual(parseVCards(WHATSAPP_CARD), [{ name: 'Ana Souza', phones: ['+5511987654321', '+551133334444'] }]);
  });

  it('reads several cards, folded lines and escapes', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:O\\, Brien\\; Co',
      ' nsulting',
      'TEL:+44 7700 900123',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Bob',
      'TEL;VALUE=uri;TYPE=cell:tel:+1-415-555-0100',
      'END:VCARD',
    ].join('\n');
    assert.deepEqual(parseVCards(text), [
      { name: 'O, Brien; Consulting', phones: ['+447700900123'] },
      { name: 'Bob', phones: ['+14155550100'] },
    ]);
  });

  it('reads national numbers as the customer country and drops what is no number', () => {
    const text = 'BEGIN:VCARD\nVERSION:3.0\nFN:Local\nTEL;CELL:07700 900123\nTEL:call me\nEND:VCARD';
    assert.deepEqual(parseVCards(text, 'GB'), [{ name: 'Local', phones: ['+447700900123'] }]);
    assert.deepEqual(parseVCards(text), [{ name: 'Local', phones: [] }]);
  });

  it("reads national numbers by the customer's calling code when their number is in no one country's known ranges", () => {
    const text = 'BEGIN:VCARD\nVERSION:3.0\nFN:Zed Local\nTEL;type=CELL:07700 900123\nEND:VCARD';
    // +44 7700 900… is Ofcom's drama range: a UK number libphonenumber places in no region.
    assert.deepEqual(parseSharedVCards(text, '+447700900321'), [{ name: 'Zed Local', phones: ['+447700900123'] }]);
    assert.deepEqual(parseSharedVCards(text, '+447911123456'), [{ name: 'Zed Local', phones: ['+447700900123'] }]);
    const american = 'BEGIN:VCARD\nFN:Ann\nTEL:(202) 555-0199\nEND:VCARD';
    assert.deepEqual(parseSharedVCards(american, '+15555550100'), [{ name: 'Ann', phones: ['+12025550199'] }]);
  });

  it('reads national numbers in parentheses and drops an extension from a tel: URI', () => {
    const text = ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Carla Souza', 'TEL;TYPE=CELL:+55 (21) 98765-4321', 'TEL;TYPE=WORK:(11) 3333-4444', 'TEL:tel:+1-202-555-0199;ext=12', 'END:VCARD'].join('\r\n');
    assert.deepEqual(parseVCards(text, 'BR'), [{ name: 'Carla Souza', phones: ['+5521987654321', '+551133334444', '+12025550199'] }]);
  });

  it('falls back to N, then ORG, then the number for the name; decodes vCard 2.1 quoted-printable', () => {
    assert.equal(parseVCards('BEGIN:VCARD\nN:Smith;Jane;;Dr.;\nEND:VCARD')[0]!.name, 'Dr. Jane Smith');
    assert.equal(parseVCards('BEGIN:VCARD\nORG:Acme;Sales\nEND:VCARD')[0]!.name, 'Acme');
    assert.equal(parseVCards('BEGIN:VCARD\nTEL:+14155550100\nEND:VCARD')[0]!.name, '+14155550100');
    assert.equal(parseVCards('BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9\nEND:VCARD')[0]!.name, 'José');
  });

  it('ignores text that is not a vCard', () => {
    assert.deepEqual(parseVCards('hello\nworld'), []);
    assert.deepEqual(parseVCards(''), []);
  });
});
