import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { makeTemplate } from '../test/fixtures.js';
import type { SendTemplateEvent } from '../events/send-template-event.js';
import type { WcpTemplatePicker } from './wcp-template-picker.js';
import './wcp-template-picker.js';

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
});
