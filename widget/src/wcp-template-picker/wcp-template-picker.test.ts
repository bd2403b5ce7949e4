import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { makeTemplate } from '../test/fixtures.js';
import type { SendTemplateEvent } from '../events/send-template-event.js';
import type { WcpTemplatePicker } from './wcp-template-picker.js';
import './wcp-template-picker.js';
import { spokenNames } from '../test/spoken-names.js';

const context = { customerName: 'Ana García', agentName: 'Dana', record: { ticketnumber: 'CAS-42' } };
const button = (el: WcpTemplatePicker, name: string) =>
  [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === name)!;

async function picker() {
  const wrapper = await fixture<HTMLDivElement>(html`<div>
    <button id="opener">Send template</button>
    <wcp-template-picker
      .templates=${[makeTemplate(), makeTemplate({ contentSid: 'HXffffffffffffffffffffffffffffffff', name: 'bienvenida', language: 'es', body: 'Hola {{1}}', variables: [{ key: '1', label: 'Nombre', source: 'customer.name' }] })]}
      .placeholderContext=${context}
      language="en"
    ></wcp-template-picker>
  </div>`);
  const el = wrapper.querySelector('wcp-template-picker')!;
  const opener = wrapper.querySelector<HTMLButtonElement>('#opener')!;
  opener.focus();
  el.show();
  await el.updateComplete;
  return { el, opener };
}

describe('wcp-template-picker', () => {
  it("reads each template's name, language, category and status apart", async () => {
    await fixture(html`<wcp-template-picker .templates=${[makeTemplate({ category: 'UTILITY', status: 'approved' })]} open></wcp-template-picker>`);
    const el = document.querySelector('wcp-template-picker')!;
    el.show();
    await el.updateComplete;
    // Chromium ran them together: "order_update enUtilityApproved".
    expect(await spokenNames('radio')).to.deep.equal(['order_update, en, Utility, Approved']);
  });

  it('prefills variables from the customer, agent and record and previews the message', async () => {
    const { el } = await picker();
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    const radios = el.shadowRoot!.querySelectorAll('input[type="radio"]');
    expect(radios).to.have.length(1); // only the English template
    const inputs = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="text"]')];
    expect(inputs.map((i) => i.value)).to.deep.equal(['Ana García', 'Dana', 'CAS-42']);
    expect(el.shadowRoot!.querySelector('.preview')!.textContent).to.equal('Hello Ana García, this is Dana about case CAS-42.');
    await expect(el).to.be.accessible();
  });

  it('lets the agent edit a variable, updates the preview and sends', async () => {
    const { el } = await picker();
    const caseInput = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="text"]')][2]!;
    caseInput.focus();
    caseInput.select();
    await sendKeys({ type: 'CAS-99' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.preview')!.textContent).to.contain('case CAS-99.');
    setTimeout(() => button(el, 'Send').click());
    const event = (await oneEvent(el, 'wcp-send-template')) as SendTemplateEvent;
    expect(event.contentSid).to.equal('HX0123456789abcdef0123456789abcdef');
    expect(event.variables).to.deep.equal({ 1: 'Ana García', 2: 'Dana', 3: 'CAS-99' });
    await expect(el).to.be.accessible();
  });

  it('cannot send with an empty variable', async () => {
    const { el } = await picker();
    const first = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="text"]')!;
    first.value = '';
    first.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    expect(button(el, 'Send').disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('closes on Escape and returns focus to the opener', async () => {
    const { el, opener } = await picker();
    el.shadowRoot!.querySelector<HTMLInputElement>('input[type="text"]')!.focus();
    const closed = oneEvent(el, 'wcp-template-picker-close');
    await sendKeys({ press: 'Escape' });
    await closed;
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
    await waitUntil(() => document.activeElement === opener, 'focus back on the opener');
    await expect(el).to.be.accessible();
  });

  async function catalogue(properties: Partial<WcpTemplatePicker> = {}) {
    const el = await fixture<WcpTemplatePicker>(html`<wcp-template-picker
      .templates=${[
        makeTemplate({ contentSid: 'HX1', name: 'case_update', category: 'utility', status: 'approved' }),
        makeTemplate({ contentSid: 'HX2', name: 'spring_sale', category: 'marketing', status: 'approved', variables: [], body: 'Spring sale!' }),
        makeTemplate({ contentSid: 'HX3', name: 'new_offer', category: 'marketing', status: 'pending' }),
        makeTemplate({ contentSid: 'HX4', name: 'login_code', category: 'authentication', status: 'rejected' }),
      ]}
      .placeholderContext=${context}
    ></wcp-template-picker>`);
    Object.assign(el, properties);
    el.show();
    await el.updateComplete;
    return el;
  }
  const choice = (el: WcpTemplatePicker, name: string) =>
    [...el.shadowRoot!.querySelectorAll('label.choice')].find((label) => label.textContent!.includes(name))!;
  const radio = (el: WcpTemplatePicker, name: string) => choice(el, name).querySelector('input')!;

  it('opened while its list loads, puts keyboard focus on the chosen template once the list is in, not on Cancel', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div><wcp-template-picker .placeholderContext=${context} language="en"></wcp-template-picker></div>`);
    const el = wrapper.querySelector('wcp-template-picker')!;
    el.show();
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('Loading templates…');
    el.templates = [makeTemplate()];
    await el.updateComplete;
    const focused = el.shadowRoot!.activeElement as HTMLInputElement | null;
    expect(focused?.type, 'a template choice has focus').to.equal('radio');
    expect(focused?.checked).to.equal(true);
  });

  it('lists every template with its category and approval status; only approved ones can be chosen', async () => {
    const el = await catalogue({ insideWindow: true, sendDate: new Date('2026-03-01T10:00:00Z') });
    expect(choice(el, 'case_update').textContent).to.contain('Utility').and.contain('Approved');
    expect(choice(el, 'spring_sale').textContent).to.contain('Marketing');
    expect(choice(el, 'new_offer').textContent).to.contain('Pending approval');
    expect(choice(el, 'login_code').textContent).to.contain('Authentication').and.contain('Rejected');
    expect(radio(el, 'case_update').checked).to.equal(true);
    expect(radio(el, 'new_offer').disabled).to.equal(true);
    expect(radio(el, 'login_code').disabled).to.equal(true);
    expect(radio(el, 'spring_sale').disabled).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('says whether the send is billable under the pricing of its date', async () => {
    const el = await catalogue({ insideWindow: true, sendDate: new Date('2026-03-01T10:00:00Z') });
    const pricing = () => el.shadowRoot!.querySelector('.pricing')!.textContent!;
    const send = () => button(el, 'Send');
    expect(pricing()).to.equal('Free: WhatsApp does not charge for this Utility template here (pricing since July 1, 2025).');
    expect(el.shadowRoot!.getElementById(send().getAttribute('aria-describedby')!)!.textContent).to.equal(pricing());

    radio(el, 'spring_sale').focus();
    await sendKeys({ press: ' ' });
    await el.updateComplete;
    expect(pricing()).to.equal('Billable: WhatsApp charges for each Marketing template (pricing since July 1, 2025).');

    el.insideWindow = false;
    radio(el, 'case_update').click();
    await el.updateComplete;
    expect(pricing()).to.contain('Billable: WhatsApp charges for each Utility template');

    el.insideWindow = true;
    el.sendDate = new Date('2025-06-30T10:00:00Z');
    await el.updateComplete;
    expect(pricing()).to.equal('Billable: it opens a charged 24-hour Utility conversation unless one is open (pricing since November 1, 2024).');
    await expect(el).to.be.accessible();
  });

  it('warns that a stale list may be out of date', async () => {
    const el = await catalogue({ stale: true });
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('Template list may be out of date');
    await expect(el).to.be.accessible();
  });

  it('cannot send to a customer who opted out, and says why', async () => {
    const el = await catalogue({ optedOut: true });
    expect(el.shadowRoot!.querySelector('.opted-out')!.textContent).to.equal(
      'The customer opted out of WhatsApp messages from this number (they sent STOP) or blocked it. Nothing can be sent until they write again; after STOP, until they send START.',
    );
    expect(button(el, 'Send').disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });
});
