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
      id: '005c98d2-55bf-5e3f-a729-a2674b7cc0a6',
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
    expect(ref).to.deep.equal({ entityType: 'contact', id: 'id1', name: 'Ada Lovelace' });
    expect((await port.findContactsByPhone('+447700900999'))[0]!.email).to.equal('ada@example.com');
    expect((await port.searchRecords('lovelace')).map((r) => r.id)).to.deep.equal(['id1']);
    expect((await rejection(port.createRecord({ entityType: 'contact', fields: { firstname: 'X' } }))).message).to.equal(
      'A contact needs a last name.',
    );
  });

  it('creates a case for a customer with the next ticket number', async () => {
    const port = crm();
    const maria = { entityType: 'contact', id: '774a2792-3157-535d-8b50-b808a449a3d0', name: 'Maria Campbell' };
    const ref = await port.createRecord({ entityType: 'incident', fields: { title: 'Late delivery' }, customer: maria });
    expect(ref.name).to.equal('Late delivery');
    expect(port.casesOf('774a2792-3157-535d-8b50-b808a449a3d0')[0]).to.deep.include({ id: ref.id, subtitle: 'CAS-01007 · Active' });
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
    const record = { entityType: 'incident', id: '5c8b1102-e196-522f-a14f-8003c5dec171', name: 'Parcel arrived damaged' };
    const { linkId } = await port.linkConversation(record, { conversationId: 'conv-1', summary: 'Customer sent photos.' });
    expect(port.linksOf('5c8b1102-e196-522f-a14f-8003c5dec171')).to.deep.equal([
      {
        id: linkId,
        record,
        conversationId: 'conv-1',
        summary: 'Customer sent photos.',
        subject: 'WhatsApp conversation conv-1',
        createdAt: '2025-11-25T10:00:00.000Z',
      },
    ]);
    // A reloaded panel finds its note again by record and conversation.
    expect(await port.findConversationLinks(record, 'conv-1')).to.deep.equal([linkId]);
    expect(await port.findConversationLinks(record, 'conv-2')).to.deep.equal([]);
    await port.unlinkConversation(record, linkId);
    expect(port.linksOf('5c8b1102-e196-522f-a14f-8003c5dec171')).to.deep.equal([]);
    expect(await port.findConversationLinks(record, 'conv-1')).to.deep.equal([]);
    expect(changes).to.equal(2);
    expect((await rejection(port.unlinkConversation(record, linkId))).code).to.equal('not_found');
    expect((await rejection(port.linkConversation({ ...record, id: 'gone' }, { conversationId: 'c', summary: '' }))).code).to.equal(
      'not_found',
    );
  });

  it('opens a record through the page callback', async () => {
    const opened: string[] = [];
    const port = crm({ onOpenRecord: (r) => opened.push(r.id) });
    await port.openRecord({ entityType: 'account', id: '7a98f1ee-9b0c-5bbf-9e49-b6276a092998', name: 'Northwind Traders' });
    expect(opened).to.deep.equal(['7a98f1ee-9b0c-5bbf-9e49-b6276a092998']);
    expect((await rejection(port.openRecord({ entityType: 'account', id: 'x', name: 'X' }))).code).to.equal('not_found');
  });

  it('searches knowledge by meaning-bearing words, title matches first', async () => {
    const port = crm();
    const titles = (await port.searchKnowledge('My parcel arrived damaged, I want a refund')).map((a) => a.title);
    expect(titles.slice(0, 2)).to.have.members(['Damaged or faulty items', 'How to request a refund']);
    expect((await port.searchKnowledge('password'))[0]!.url).to.equal('https://support.contoso.example/kb/reset-password');
    expect(await port.searchKnowledge('the and of')).to.deep.equal([]);
  });

  it("serves the seed's quick replies and scripts the way the Dataverse adapter reads its tables", async () => {
    const port = crm();
    const replies = await port.listQuickReplies('en');
    expect(replies.map((r) => r.title)).to.deep.equal(['Case created', 'Closing', 'Greeting', 'Order status', 'Please hold', 'Refund timeline']);
    expect(replies.find((r) => r.title === 'Greeting')!.body).to.equal('Hi {customer.name}, this is {agent.name} from Contoso support. How can I help you today?');
    // No reply is written in German: a German agent gets them all rather than none.
    expect(await port.listQuickReplies('de')).to.have.length(6);

    const [script] = await port.listScripts();
    expect(script!.name).to.equal('WhatsApp customer service');
    expect(script!.steps[0]).to.deep.equal({ id: 'step-1', title: 'Greet the customer by name', text: 'Hi {customer.name}, this is {agent.name} from Contoso support.' });
    expect(script!.steps[2]).to.deep.equal({ id: 'step-3', title: 'Link or create the case for this conversation', text: null });
    expect(script!.steps).to.have.length(5);
  });

  it('leaves out inactive library rows', async () => {
    const port = new MemoryCrm({
      ...seed,
      wcp_quickreply: [{ wcp_quickreplyid: 'q1', wcp_title: 'Old', wcp_text: 'Retired text', wcp_language: 'en', statecode: 1 }],
      wcp_agentscript: [{ wcp_agentscriptid: 's1', wcp_name: 'Old', wcp_steps: 'A step', statecode: 1 }],
    });
    expect(await port.listQuickReplies('en')).to.deep.equal([]);
    expect(await port.listScripts()).to.deep.equal([]);
  });

  it('does not share state with the seed or other instances', async () => {
    await crm().createRecord({ entityType: 'contact', fields: { lastname: 'Solo' } });
    expect(await crm().searchRecords('solo')).to.deep.equal([]);
    expect(seed.contacts).to.have.length(10);
  });
});
