import { expect } from '@open-wc/testing';
import { CrmError } from '../ports/crm-port.js';
import { MemoryCrm, type CrmSeed } from './memory-crm.js';

let seed: CrmSeed;
before(async () => {
  seed = (await (await fetch(new URL('./seed.json', import.meta.url))).json()) as CrmSeed;
});

function crm(options: ConstructorParameters<typeof MemoryCrm>[1] = {}) {
  let n = 0;
  return new MemoryCrm(seed, { newId: () => `id${++n}`, now: () => new Date('2025-11-25T10:00:00Z'), ...options });
}

async function rejection(promise: Promise<unknown>): Promise<CrmError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(CrmError);
    return error as CrmError;
  }
  throw new Error('expected a rejection');
}

describe('MemoryCrm', () => {
  it('seeds 10 contacts, 4 accounts, 6 cases and 8 articles', () => {
    expect(seed.contacts).to.have.length(10);
    expect(seed.accounts).to.have.length(4);
    expect(seed.cases).to.have.length(6);
    expect(seed.knowledge).to.have.length(8);
  });

  it('finds a contact by E.164 number whatever format it was stored in', async () => {
    const port = crm();
    const [maria, ...others] = await port.findContactsByPhone('+14155550100');
    expect(others).to.have.length(0);
    expect(maria!.fullName).to.equal('Maria Campbell');
    expect(maria!.accountName).to.equal('Contoso Pharmaceuticals');
    expect(maria!.fields!.jobtitle).to.equal('Procurement Manager');
    expect((await port.findContactsByPhone('+447700900123'))[0]!.fullName).to.equal('Oliver Smith');
    expect((await port.findContactsByPhone('+14155550175'))[0]!.fullName).to.equal('James Wilson');
    expect((await port.findContactsByPhone('+4915123456789'))[0]!.fullName).to.equal('Lukas Müller');
    expect(await port.findContactsByPhone('+19995550000')).to.deep.equal([]);
    expect((await rejection(port.findContactsByPhone('nope'))).code).to.equal('invalid_phone');
  });

  it('returns every contact sharing a number (then the customer is not authenticated)', async () => {
    const port = crm();
    await port.createRecord({ entityType: 'contact', fields: { firstname: 'Mario', lastname: 'Campbell', mobilephone: '415-555-0100' } });
    expect((await port.findContactsByPhone('+14155550100')).map((c) => c.fullName)).to.have.members([
      'Maria Campbell',
      'Mario Campbell',
    ]);
  });

  it('searches contacts, accounts and cases by words, e-mail, account and phone digits', async () => {
    const port = crm();
    expect((await port.searchRecords('campbell')).map((r) => `${r.entityType}:${r.name}`)).to.deep.equal([
      'contact:Maria Campbell',
      'incident:Parcel arrived damaged',
      'incident:Refund not received for order 4471',
    ]);
    expect((await port.searchRecords('contoso', ['contact'])).map((r) => r.name)).to.deep.equal([
      'Maria Campbell',
      'James Wilson',
    ]);
    expect((await port.searchRecords('fabrikam', ['account']))[0]).to.deep.equal({
      entityType: 'account',
      id: 'acc-fabrikam',
      name: 'Fabrikam Ltd',
      subtitle: 'London',
    });
    expect((await port.searchRecords('CAS-01003', ['incident']))[0]!.subtitle).to.equal(
      'CAS-01003-B9X1 · Oliver Smith · Active',
    );
    expect((await port.searchRecords('555 0100', ['contact'])).map((r) => r.name)).to.deep.equal(['Maria Campbell']);
    expect(await port.searchRecords('   ')).to.deep.equal([]);
  });

  it('creates a contact that is then found by phone and search', async () => {
    const port = crm();
    const ref = await port.createRecord({
      entityType: 'contact',
      fields: { firstname: 'Ada', lastname: 'Lovelace', mobilephone: '+44 7700 900999', emailaddress1: 'ada@example.com' },
    });
    expect(ref).to.deep.equal({ entityType: 'contact', id: 'con-id1', name: 'Ada Lovelace' });
    expect((await port.findContactsByPhone('+447700900999'))[0]!.email).to.equal('ada@example.com');
    expect((await port.searchRecords('lovelace')).map((r) => r.id)).to.deep.equal(['con-id1']);
    expect((await rejection(port.createRecord({ entityType: 'contact', fields: { firstname: 'X' } }))).message).to.equal(
      'A contact needs a last name.',
    );
  });

  it('creates a case for a customer with the next ticket number', async () => {
    const port = crm();
    const maria = { entityType: 'contact', id: 'con-maria-campbell', name: 'Maria Campbell' };
    const ref = await port.createRecord({ entityType: 'incident', fields: { title: 'Late delivery' }, customer: maria });
    expect(ref.name).to.equal('Late delivery');
    expect(port.casesOf('con-maria-campbell')[0]).to.deep.include({ id: ref.id, subtitle: 'CAS-01007 · Active' });
    const ghost = { entityType: 'contact', id: 'nobody', name: 'Nobody' };
    expect((await rejection(port.createRecord({ entityType: 'incident', fields: { title: 'x' }, customer: ghost }))).code).to.equal(
      'not_found',
    );
    expect((await rejection(port.createRecord({ entityType: 'incident', fields: {} }))).code).to.equal('validation');
  });

  it('links a conversation as an annotation and unlinks it', async () => {
    const port = crm();
    let changes = 0;
    port.subscribe(() => changes++);
    const record = { entityType: 'incident', id: 'case-01001', name: 'Parcel arrived damaged' };
    const { linkId } = await port.linkConversation(record, { conversationId: 'conv-1', summary: 'Customer sent photos.' });
    expect(port.linksOf('case-01001')).to.deep.equal([
      {
        id: linkId,
        record,
        conversationId: 'conv-1',
        summary: 'Customer sent photos.',
        subject: 'WhatsApp conversation conv-1',
        createdAt: '2025-11-25T10:00:00.000Z',
      },
    ]);
    await port.unlinkConversation(record, linkId);
    expect(port.linksOf('case-01001')).to.deep.equal([]);
    expect(changes).to.equal(2);
    expect((await rejection(port.unlinkConversation(record, linkId))).code).to.equal('not_found');
    expect((await rejection(port.linkConversation({ ...record, id: 'gone' }, { conversationId: 'c', summary: '' }))).code).to.equal(
      'not_found',
    );
  });

  it('opens a record through the page callback', async () => {
    const opened: string[] = [];
    const port = crm({ onOpenRecord: (r) => opened.push(r.id) });
    await port.openRecord({ entityType: 'account', id: 'acc-northwind', name: 'Northwind Traders' });
    expect(opened).to.deep.equal(['acc-northwind']);
    expect((await rejection(port.openRecord({ entityType: 'account', id: 'x', name: 'X' }))).code).to.equal('not_found');
  });

  it('searches knowledge by meaning-bearing words, title matches first', async () => {
    const port = crm();
    const titles = (await port.searchKnowledge('My parcel arrived damaged, I want a refund')).map((a) => a.title);
    expect(titles.slice(0, 2)).to.have.members(['Damaged or faulty items', 'How to request a refund']);
    expect((await port.searchKnowledge('password'))[0]!.url).to.equal('https://support.contoso.example/kb/reset-password');
    expect(await port.searchKnowledge('the and of')).to.deep.equal([]);
  });

  it('does not share state with the seed or other instances', async () => {
    await crm().createRecord({ entityType: 'contact', fields: { lastname: 'Solo' } });
    expect(await crm().searchRecords('solo')).to.deep.equal([]);
    expect(seed.contacts).to.have.length(10);
  });
});
