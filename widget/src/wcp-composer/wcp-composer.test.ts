import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
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

  it('inserts shared text as words of its own: a space where it would touch the words around it, none where there is one', async () => {
    const el = await composer();
    textbox(el).focus();
    await sendKeys({ type: 'See the courier report' });
    el.insertText('Damaged items: https://support.contoso.com/kb/KA-1');
    await el.updateComplete;
    expect(textbox(el).value).to.equal('See the courier report Damaged items: https://support.contoso.com/kb/KA-1');

    textbox(el).setSelectionRange(3, 3); // "See| the…": the caret before a space
    el.insertText('also');
    await el.updateComplete;
    expect(textbox(el).value.startsWith('See also the courier')).to.equal(true);

    textbox(el).setSelectionRange(0, 0);
    el.insertText('Hi {customer.name},');
    await el.updateComplete;
    expect(textbox(el).value.startsWith('Hi Ana García, See also')).to.equal(true);
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

  it('counts characters against the 1,600 limit, announces only near it, and says why Send is disabled over it', async () => {
    const el = await composer();
    const counter = () => el.shadowRoot!.querySelector('.counter')!;
    textbox(el).focus();
    await sendKeys({ type: 'Hi' });
    await el.updateComplete;
    expect(counter().textContent!.trim()).to.equal('2 of 1,600 characters');
    expect(counter().getAttribute('aria-live')).to.equal('off');

    el.draft = 'a'.repeat(1532);
    await el.updateComplete;
    expect(counter().textContent!.trim()).to.equal('1,532 of 1,600 characters');
    expect(counter().getAttribute('aria-live')).to.equal('polite');
    expect(button(el, 'Send').disabled).to.equal(false);

    el.draft = '😀'.repeat(801); // 1,602 UTF-16 units, as Twilio counts them
    await el.updateComplete;
    expect(counter().textContent!.trim()).to.equal('1,602 of 1,600 characters');
    const send = button(el, 'Send');
    expect(send.disabled).to.equal(true);
    const why = el.shadowRoot!.getElementById(send.getAttribute('aria-describedby')!)!;
    expect(why.textContent).to.equal('Too long for WhatsApp: remove 2 characters to send.');
    let sent = 0;
    el.addEventListener('wcp-send', () => sent++);
    textbox(el).focus();
    await sendKeys({ press: 'Enter' });
    expect(sent).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('tells the agent the customer sees typing and fires typing as they type', async () => {
    const el = await composer();
    const help = el.shadowRoot!.getElementById(textbox(el).getAttribute('aria-describedby')!)!;
    expect(help.textContent).to.equal('While you type, the customer sees "typing…" and their latest message is marked read.');
    let typed = 0;
    el.addEventListener('wcp-typing', () => typed++);
    textbox(el).focus();
    await sendKeys({ type: 'Hel' });
    expect(typed).to.equal(3);
    await expect(el).to.be.accessible();
  });

  it('promises neither quick replies nor "typing…" where nothing can be typed (a wrap-up, a closed conversation)', async () => {
    const el = await composer();
    el.disabled = true;
    await el.updateComplete;
    expect(textbox(el).disabled).to.equal(true);
    expect(textbox(el).placeholder).to.equal('');
    expect(textbox(el).hasAttribute('aria-describedby')).to.equal(false);
    expect(el.shadowRoot!.textContent).not.to.contain('the customer sees "typing…"');
    await expect(el).to.be.accessible();
  });

  it('adds up to three quick-reply buttons by keyboard, counts their titles, removes them and sends them with the text', async () => {
    const el = await composer();
    textbox(el).focus();
    await sendKeys({ type: 'Did this solve it?' });
    button(el, 'Add buttons').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    const group = el.shadowRoot!.querySelector('fieldset')!;
    expect(group.querySelector('legend')!.textContent).to.equal('Quick-reply buttons');
    const input = (n: number) => group.querySelectorAll<HTMLInputElement>('input')[n]!;
    await waitUntil(() => el.shadowRoot!.activeElement === input(0), 'focus on the first title');
    expect(button(el, 'Send').disabled).to.equal(true); // an empty title
    expect(button(el, 'Attach file').disabled).to.equal(true); // buttons go under text only
    await sendKeys({ type: 'Yes, thanks' });
    expect(group.querySelector('#button-count-0')!.textContent!.trim()).to.equal('11 of 20 characters');
    for (const title of ['No', 'Talk to a person, please']) {
      button(el, 'Add another button').focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      await sendKeys({ type: title });
    }
    expect(input(2).value).to.equal('Talk to a person, pl'); // 20 characters at most
    expect(button(el, 'Add another button').disabled).to.equal(true);
    const remove = [...group.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'Remove button 2')!;
    remove.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(group.querySelectorAll('input')).to.have.length(2);
    await expect(el).to.be.accessible();

    const sent = oneEvent(el, 'wcp-send') as Promise<SendMessageEvent>;
    button(el, 'Send').click();
    const event = await sent;
    expect(event.body).to.equal('Did this solve it?');
    expect(event.buttons).to.deep.equal([
      { id: 'button-1', title: 'Yes, thanks' },
      { id: 'button-2', title: 'Talk to a person, pl' },
    ]);
  });

  it('closes the button list when the last one is removed and focus returns to Add buttons', async () => {
    const el = await composer();
    button(el, 'Add buttons').click();
    await el.updateComplete;
    const remove = el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Remove button 1"]')!;
    remove.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.activeElement === button(el, 'Add buttons'), 'focus back on Add buttons');
    expect(el.shadowRoot!.querySelector('fieldset')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('blocks Send and names the field while a placeholder cannot be filled', async () => {
    const el = await composer();
    el.placeholderContext = { ...context, record: {} };
    el.quickReplies = [makeQuickReply({ id: 'qr-3', title: 'Case opened', body: "I've opened case {record.ticketnumber}", tags: [] })];
    textbox(el).focus();
    await sendKeys({ type: '/opened' });
    await el.updateComplete;
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(textbox(el).value).to.equal("I've opened case {record.ticketnumber}");
    const send = button(el, 'Send');
    expect(send.disabled).to.equal(true);
    expect(el.shadowRoot!.getElementById(send.getAttribute('aria-describedby')!)!.textContent).to.equal('Fill in record.ticketnumber before sending');
    let sent = 0;
    el.addEventListener('wcp-send', () => sent++);
    await sendKeys({ press: 'Enter' });
    expect(sent).to.equal(0);
    await expect(el).to.be.accessible();

    // The record loads: the same draft goes out filled.
    el.placeholderContext = context;
    await el.updateComplete;
    expect(button(el, 'Send').disabled).to.equal(false);
    const event = oneEvent(el, 'wcp-send') as Promise<SendMessageEvent>;
    textbox(el).focus();
    await sendKeys({ press: 'Enter' });
    expect((await event).body).to.equal("I've opened case CAS-42");
  });

  it('counts a caption under a file against WhatsApp\'s 1,024 characters, and stops Send over it', async () => {
    const el = await composer();
    const counter = () => el.shadowRoot!.querySelector('.counter')!;
    el.draft = 'a'.repeat(1025);
    await el.updateComplete;
    expect(button(el, 'Send').disabled, 'a 1,025-character message is fine on its own').to.equal(false);

    chooseFile(el, new File([new Uint8Array(10)], 'photo.png', { type: 'image/png' }));
    await el.updateComplete;
    expect(counter().textContent!.trim()).to.equal('1,025 of 1,024 characters');
    const send = button(el, 'Send');
    expect(send.disabled).to.equal(true);
    const why = el.shadowRoot!.getElementById(send.getAttribute('aria-describedby')!)!;
    expect(why.textContent).to.equal('Too long for WhatsApp: remove 1 characters to send.');

    button(el, 'Remove attachment').click();
    await el.updateComplete;
    expect(counter().textContent!.trim()).to.equal('1,025 of 1,600 characters');
    expect(button(el, 'Send').disabled).to.equal(false);
  });

  it("counts the text above quick-reply buttons against Twilio's 1,024 characters, and stops Send on two buttons with one title", async () => {
    const el = await composer();
    const counter = () => el.shadowRoot!.querySelector('.counter')!;
    el.draft = 'a'.repeat(1025);
    await el.updateComplete;
    button(el, 'Add buttons').click();
    await el.updateComplete;
    expect(counter().textContent!.trim()).to.equal('1,025 of 1,024 characters');
    el.draft = 'Did this help?';
    const titles = () => el.shadowRoot!.querySelectorAll<HTMLInputElement>('fieldset input');
    titles()[0]!.focus();
    await sendKeys({ type: 'Yes' });
    button(el, 'Add another button').click();
    await el.updateComplete;
    titles()[1]!.focus();
    await sendKeys({ type: 'yes' });
    await el.updateComplete;
    const send = button(el, 'Send');
    expect(send.disabled).to.equal(true);
    expect(el.shadowRoot!.getElementById(send.getAttribute('aria-describedby')!)!.textContent).to.equal('Give each button its own title: “yes” is on two.');
  });

  it('shows focus in the message box by a ring, not by a colour alone', async () => {
    const el = await composer();
    textbox(el).focus();
    const style = getComputedStyle(textbox(el));
    expect(style.outlineStyle).to.equal('solid');
    expect(parseFloat(style.outlineWidth)).to.be.at.least(2);
  });

  it('shows the upload progress as a named progress bar', async () => {
    const el = await composer();
    chooseFile(el, new File([new Uint8Array(10)], 'photo.png', { type: 'image/png' }));
    el.busy = true;
    el.uploadProgress = 0.4;
    await el.updateComplete;
    const bar = el.shadowRoot!.querySelector('progress')!;
    expect(bar.getAttribute('aria-label')).to.equal('Uploading photo.png');
    expect(bar.value).to.equal(0.4);
    await expect(el).to.be.accessible();
  });

  it('refuses an image over 5 MB before uploading, naming the rule', async () => {
    const el = await fixture<WcpComposer>(html`<wcp-composer></wcp-composer>`);
    chooseFile(el, new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'scan.jpg', { type: 'image/jpeg' }));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal('"scan.jpg" is 5 MB; WhatsApp takes JPEG and PNG images up to 5 MB.');
    expect(el.shadowRoot!.textContent).not.to.contain('Remove attachment');
    await expect(el).to.be.accessible();
  });

  it('disables everything with the opt-out notice while the customer has opted out', async () => {
    const el = await composer();
    el.draft = 'Hello?';
    el.optedOut = true;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal(
      'The customer opted out of WhatsApp messages from this number (they sent STOP) or blocked it. Nothing can be sent until they write again; after STOP, until they send START.',
    );
    expect(textbox(el).disabled).to.equal(true);
    for (const name of ['Send', 'Attach file', 'Send template', 'Add buttons']) expect(button(el, name).disabled, name).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('forgets the attachment and buttons when the agent moves to another conversation', async () => {
    const el = await composer();
    el.conversationId = 'conv-1';
    await el.updateComplete;
    chooseFile(el, new File([new Uint8Array(10)], 'photo.png', { type: 'image/png' }));
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('photo.png');
    el.conversationId = 'conv-2';
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).not.to.contain('photo.png');
    button(el, 'Add buttons').click();
    await el.updateComplete;
    el.conversationId = 'conv-3';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('fieldset')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
