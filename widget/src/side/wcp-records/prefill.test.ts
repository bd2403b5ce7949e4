import { expect } from '@open-wc/testing';
import { caseDraftFrom, contactDraftFrom, newCase, newContact } from './prefill.js';

describe('record prefill', () => {
  const customer = { phone: '+447700900123', profileName: 'Oliver James Smith', waId: null };

  it('splits the profile name into first and last name and keeps the E.164 number', () => {
    expect(contactDraftFrom(customer)).to.deep.equal({
      firstname: 'Oliver',
      lastname: 'James Smith',
      mobilephone: '+447700900123',
      emailaddress1: '',
    });
    expect(contactDraftFrom({ ...customer, profileName: null }).firstname).to.equal('');
    expect(contactDraftFrom(null).mobilephone).to.equal('');
  });

  it('titles a case after the contact, else the profile name, else the number', () => {
    expect(caseDraftFrom(customer, null).title).to.equal('WhatsApp conversation with Oliver James Smith');
    expect(caseDraftFrom({ ...customer, profileName: null }, null).title).to.equal(
      'WhatsApp conversation with +447700900123',
    );
  });

  it('sends only the filled columns', () => {
    expect(newContact({ firstname: ' ', lastname: 'Smith', mobilephone: '+447700900123', emailaddress1: '' })).to.deep.equal({
      entityType: 'contact',
      fields: { lastname: 'Smith', mobilephone: '+447700900123' },
    });
    expect(newCase({ title: 'Broken parcel', description: '' }, null)).to.deep.equal({
      entityType: 'incident',
      fields: { title: 'Broken parcel' },
    });
  });
});
