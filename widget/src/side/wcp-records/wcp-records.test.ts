import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { CreateRecordEvent, LinkRecordEvent, RecordSearchEvent } from '../../events/index.js';
import { customer, maria, recordResults } from '../shared/test-fixtures.js';
import { button, control, nextEvent } from '../shared/test-helpers.js';
import './wcp-records.js';
import type { RecordsElement } from './wcp-records.js';

async function search(el: RecordsElement, text: string) {
  control(el, 'Search records').focus();
  await sendKeys({ type: text });
  await el.updateComplete;
  const raised = nextEvent(el, 'wcp-record-search');
  await sendKeys({ press: 'Enter' });
  return raised;
}

describe('wcp-records', () => {
  it('searches all record types by default and a chosen type on request', async () => {
    const el = await fixture<RecordsElement>(html`<wcp-records></wcp-records>`);
    const all = await search(el, 'campbell');
    expect(all).to.be.instanceOf(RecordSearchEvent);
    expect(all.query).to.equal('campbell');
    expect(all.entityTypes).to.deep.equal(['contact', 'account', 'incident']);

    const select = control<HTMLSelectElement>(el, 'Record type');
    select.value = 'incident';
    select.dispatchEvent(new Event('change'));
    const raised = nextEvent(el, 'wcp-record-search');
    button(el, 'Search').click();
    expect((await raised).entityTypes).to.deep.equal(['incident']);
    await expect(el).to.be.accessible();
  });

  it('shows results with their type and links the chosen one', async () => {
    const el = await fixture<RecordsElement>(html`<wcp-records></wcp-records>`);
    await search(el, 'contoso');
    el.results = recordResults;
    await el.updateComplete;
    const items = [...el.shadowRoot!.querySelectorAll('[part="results"] li')];
    expect(items.map((li) => li.querySelector('.badge')!.textContent)).to.deep.equal(['Contact', 'Account', 'Case']);
    expect(items[2]!.textContent).to.contain('CAS-01001');

    const raised = nextEvent(el, 'wcp-link-record');
    button(el, 'Link Parcel arrived damaged').click();
    const event = await raised;
    expect(event).to.be.instanceOf(LinkRecordEvent);
    expect(event.record).to.deep.equal({ entityType: 'incident', id: 'i-1', name: 'Parcel arrived damaged' });
    await expect(el).to.be.accessible();
  });

  it('says when nothing matched, and shows busy and errors', async () => {
    const el = await fixture<RecordsElement>(html`<wcp-records></wcp-records>`);
    await search(el, 'zzz');
    el.busy = true;
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('Searching…');
    el.busy = false;
    el.error = 'The CRM did not answer.';
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('No records found.');
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal('The CRM did not answer.');
    await expect(el).to.be.accessible();
  });

  it('shows the linked record with Open and Unlink', async () => {
    const linked = { entityType: 'contact', id: 'c-maria', name: 'Maria Campbell' };
    const el = await fixture<RecordsElement>(html`<wcp-records .linkedRecord=${linked}></wcp-records>`);
    expect(el.shadowRoot!.querySelector('[part="linked-record"]')!.textContent).to.contain('Maria Campbell');
    const opened = nextEvent(el, 'wcp-open-record');
    button(el, 'Open Maria Campbell').click();
    expect((await opened).record).to.deep.equal(linked);
    const unlinked = nextEvent(el, 'wcp-unlink-record');
    button(el, 'Unlink Maria Campbell').click();
    expect((await unlinked).record).to.deep.equal(linked);

    el.results = recordResults;
    await search(el, 'maria');
    await el.updateComplete;
    expect(button(el, 'Maria Campbell is linked').disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('creates a contact prefilled from the WhatsApp profile and links it', async () => {
    const oneWordName = { ...customer, profileName: 'Maria' };
    const el = await fixture<RecordsElement>(html`<wcp-records .customer=${oneWordName}></wcp-records>`);
    button(el, 'New contact').click();
    await el.updateComplete;
    expect(control(el, 'First name').value).to.equal('Maria');
    expect(control(el, 'Mobile phone').value).to.equal('+14155550100');
    expect(button(el, 'Create contact').disabled).to.equal(true);
    control(el, 'Last name').focus();
    await sendKeys({ type: 'Campbell' });
    control(el, 'Email').focus();
    await sendKeys({ type: 'maria@example.com' });
    await el.updateComplete;
    await expect(el).to.be.accessible();

    const raised = nextEvent(el, 'wcp-create-record');
    button(el, 'Create contact').click();
    const event = await raised;
    expect(event).to.be.instanceOf(CreateRecordEvent);
    expect(event.link).to.equal(true);
    expect(event.record).to.deep.equal({
      entityType: 'contact',
      fields: { firstname: 'Maria', lastname: 'Campbell', mobilephone: '+14155550100', emailaddress1: 'maria@example.com' },
    });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('fieldset')).to.equal(null);
  });

  it('creates a case for the matched contact, without linking when unticked', async () => {
    const el = await fixture<RecordsElement>(html`<wcp-records .customer=${customer} .contact=${maria}></wcp-records>`);
    button(el, 'New case').click();
    await el.updateComplete;
    expect(control(el, 'Case title').value).to.equal('WhatsApp conversation with Maria Campbell');
    control(el, 'Link to this conversation').click();
    control<HTMLTextAreaElement>(el, 'Description').focus();
    await sendKeys({ type: 'Parcel damaged' });
    const raised = nextEvent(el, 'wcp-create-record');
    button(el, 'Create case').click();
    const event = await raised;
    expect(event.link).to.equal(false);
    expect(event.record).to.deep.equal({
      entityType: 'incident',
      fields: { title: 'WhatsApp conversation with Maria Campbell', description: 'Parcel damaged' },
      customer: { entityType: 'contact', id: 'c-maria', name: 'Maria Campbell' },
    });
    await expect(el).to.be.accessible();
  });

  it('closes the form with Escape and returns focus to its button', async () => {
    const el = await fixture<RecordsElement>(html`<wcp-records .customer=${customer}></wcp-records>`);
    button(el, 'New contact').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(control(el, 'First name'));
    expect(button(el, 'New contact').getAttribute('aria-expanded')).to.equal('true');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('fieldset')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(button(el, 'New contact'));
    await expect(el).to.be.accessible();
  });
});
