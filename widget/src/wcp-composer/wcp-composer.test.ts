import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { makeMessage, makeQuickReply } from '../test/fixtures.js';
import type { SendMessageEvent } from '../events/send-message-event.js';
import type { WcpComposer } from './wcp-composer.js';
import './wcp-composer.js';

const context = { customerName: 'Ana García', agentName: 'Dana', record: { ticketnumber: 'CAS-42' } };
const textbox = (el: WcpComposer) => el.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]')!;
const button = (el: WcpComposer, name: string) =>
  [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === name)!;

function chooseFile(el: WcpComposer, file: File) {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change'));
}

async function composer(): Promise<WcpComposer> {
  const el = await fixture<WcpComposer>(html`<wcp-composer
    .quickReplies=${[
      makeQuickReply(),
      makeQuickReply({ id: 'qr-2', title: 'Case update', body: 'Your case {record.ticketnumber} is in progress.', tags: ['case'] }),
    ]}
    .placeholderContext=${context}
    max-attachment-bytes="1000"
  ></wcp-composer>`);
  el.addEventListener('wcp-draft-change', (e) => (el.draft = e.draft));
  return el;
}

describe('wcp-composer', () => {
  it('sends on Enter and adds a line on Shift+Enter', async () => {
    const el = await composer();
    textbox(el).focus();
    await sendKeys({ type: 'Hello' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'there' });
    expect(textbox(el).value).to.equal('Hello\nthere');
    const sent = oneEvent(el, 'wcp-send') as Promise<SendMessageEvent>;
    await sendKeys({ press: 'Enter' });
    const event = await sent;
    expect(event.body).to.equal('Hello\nthere');
    expect(event.file).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('does not send an empty message', async () => {
    const el = await composer();
    let sent = 0;
    el.addEventListener('wcp-send', () => sent++);
    expect(button(el, 'Send').disabled).to.equal(true);
    textbox(el).focus();
    await sendKeys({ press: 'Enter' });
    expect(sent).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('opens quick replies on "/", filters them and fills placeholders', async () => {
    const el = await composer();
    textbox(el).focus();
    await sendKeys({ type: '/' });
    await el.updateComplete;
    const list = el.shadowRoot!.querySelector('[role="listbox"]')!;
    expect(list.getAttribute('aria-label')).to.equal('Quick replies');
    expect(list.querySelectorAll('[role="option"]')).to.have.length(2);
    await sendKeys({ type: 'case' });
    await el.updateComplete;
    const options = el.shadowRoot!.querySelectorAll('[role="option"]');
    expect(options).to.have.length(1);
    expect(options[0]!.textContent).to.contain('Your case CAS-42 is in progress.');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(textbox(el).value).to.equal('Your case CAS-42 is in progress.');
    expect(el.shadowRoot!.querySelector('[role="listbox"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('closes quick replies on Escape and keeps the text', async () => {
    const el = await composer();
    textbox(el).focus();
    await sendKeys({ type: '/gre' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="listbox"]')).not.to.equal(null);
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="listbox"]')).to.equal(null);
    expect(textbox(el).value).to.equal('/gre');
    await expect(el).to.be.accessible();
  });

  it('refuses files WhatsApp cannot carry or that are too big, and sends an allowed one', async () => {
    const el = await composer();
    chooseFile(el, new File(['GIF89a'], 'funny.gif', { type: 'image/gif' }));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('"funny.gif" cannot be sent on WhatsApp');
    chooseFile(el, new File([new Uint8Array(2000)], 'big.pdf', { type: 'application/pdf' }));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('the limit is');
    expect(button(el, 'Send').disabled).to.equal(true);

    chooseFile(el, new File([new Uint8Array(10)], 'photo.png', { type: 'image/png' }));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    expect(el.shadowRoot!.textContent).to.contain('photo.png');
    setTimeout(() => button(el, 'Send').click());
    const event = (await oneEvent(el, 'wcp-send')) as SendMessageEvent;
    expect(event.file!.name).to.equal('photo.png');
    await expect(el).to.be.accessible();
  });

  it('offers templates and shows the reply-to quote', async () => {
    const el = await composer();
    el.replyTo = makeMessage({ id: 'q1', body: 'Where is my order?' });
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('Replying to: Where is my order?');
    setTimeout(() => button(el, 'Send template').click());
    await oneEvent(el, 'wcp-open-templates');
    setTimeout(() => button(el, 'Cancel reply').click());
    await oneEvent(el, 'wcp-cancel-reply');
    textbox(el).focus();
    await sendKeys({ type: 'Soon' });
    const sent = oneEvent(el, 'wcp-send') as Promise<SendMessageEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await sent).replyToMessageId).to.equal('q1');
    await expect(el).to.be.accessible();
  });
});
