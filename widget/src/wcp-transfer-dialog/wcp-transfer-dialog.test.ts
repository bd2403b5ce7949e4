import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AgentSummary, Queue } from '@wcp/protocol';
import type { TransferEvent } from '../events/transfer-event.js';
import type { WcpTransferDialog } from './wcp-transfer-dialog.js';
import './wcp-transfer-dialog.js';

const agents: AgentSummary[] = [
  { id: 'agent-2', name: 'Jordan Lee', presence: 'available', available: true },
  { id: 'agent-3', name: 'Sam Ortiz', presence: 'offline', available: false },
];
const queues: Queue[] = [{ id: 'billing', name: 'Billing', numbers: [], agentIds: ['agent-1'], waiting: 2, longestWaitSince: null }];

const button = (el: WcpTransferDialog, name: string) => [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === name)!;
const select = (el: WcpTransferDialog) => el.shadowRoot!.querySelector('select')!;
const note = (el: WcpTransferDialog) => el.shadowRoot!.querySelector('textarea')!;

async function opened() {
  const wrapper = await fixture<HTMLDivElement>(html`<div>
    <button id="opener">Transfer</button>
    <wcp-transfer-dialog .agents=${agents} .queues=${queues}></wcp-transfer-dialog>
  </div>`);
  const el = wrapper.querySelector('wcp-transfer-dialog')!;
  const opener = wrapper.querySelector<HTMLButtonElement>('#opener')!;
  opener.focus();
  await el.show();
  return { el, opener };
}

describe('wcp-transfer-dialog', () => {
  it('is a modal dialog named "Transfer conversation" with a target, a Note and a Transfer button', async () => {
    const { el } = await opened();
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    expect(dialog.matches(':modal')).to.equal(true);
    expect(el.shadowRoot!.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).to.equal('Transfer conversation');
    expect(note(el).closest('label')!.textContent!.trim()).to.match(/^Note/);
    const options = [...select(el).options].map((o) => [o.textContent!.trim(), o.disabled]);
    expect(options).to.deep.equal([
      ['Choose an agent or a queue…', false],
      ['Jordan Lee', false],
      ['Sam Ortiz (Offline: cannot take a conversation now)', true],
      ['Billing (2 waiting)', false],
    ]);
    expect(button(el, 'Transfer').disabled, 'nothing chosen yet').to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('transfers to an agent with a note, by keyboard only, counting the note’s characters', async () => {
    const { el } = await opened();
    // Focus starts in the dialog (showModal): the target is the first control.
    await waitUntil(() => el.shadowRoot!.activeElement === select(el), 'focus in the dialog');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(select(el).value).to.equal('agent:agent-2');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Billing question' });
    await el.updateComplete;
    expect(el.shadowRoot!.getElementById('note-count')!.textContent!.trim()).to.equal('16 of 1,000 characters');
    expect(note(el).getAttribute('aria-describedby')).to.equal('note-count');
    await sendKeys({ press: 'Tab' }); // Cancel
    await sendKeys({ press: 'Tab' }); // Transfer
    expect(el.shadowRoot!.activeElement).to.equal(button(el, 'Transfer'));
    const sent = oneEvent(el, 'wcp-transfer');
    await sendKeys({ press: 'Enter' });
    const event = (await sent) as unknown as TransferEvent;
    expect(event.destination).to.deep.equal({ agentId: 'agent-2' });
    expect(event.note).to.equal('Billing question');
    expect(el.open, 'stays open until the relay agrees').to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('skips an unavailable agent and transfers to a queue without a note', async () => {
    const { el } = await opened();
    await waitUntil(() => el.shadowRoot!.activeElement === select(el), 'focus in the dialog');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' }); // past the offline agent, to the queue
    await el.updateComplete;
    expect(select(el).value).to.equal('queue:billing');
    setTimeout(() => button(el, 'Transfer').click());
    const event = (await oneEvent(el, 'wcp-transfer')) as TransferEvent;
    expect(event.destination).to.deep.equal({ queueId: 'billing' });
    expect(event.note).to.equal(null);
  });

  it('limits the note to 1,000 characters', async () => {
    const { el } = await opened();
    expect(note(el).maxLength).to.equal(1000);
  });

  it('shows the relay’s refusal as an alert inside the dialog', async () => {
    const { el } = await opened();
    el.error = 'That agent is offline or cannot take another conversation now. Choose someone else or a queue.';
    await el.updateComplete;
    const alert = el.shadowRoot!.querySelector('dialog [role="alert"]')!;
    expect(alert.textContent).to.equal(el.error);
    await expect(el).to.be.accessible();
  });

  it('closes on Escape and gives focus back to the opener', async () => {
    const { el, opener } = await opened();
    await waitUntil(() => el.shadowRoot!.activeElement === select(el), 'focus in the dialog');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !el.open, 'closed');
    await waitUntil(() => document.activeElement === opener, 'focus back on the opener');
  });

  it('keeps the focus inside while open (the rest of the page is inert)', async () => {
    const { el, opener } = await opened();
    for (let i = 0; i < 6; i++) {
      await sendKeys({ press: 'Tab' });
      expect(document.activeElement, `Tab ${i + 1}`).to.not.equal(opener);
    }
    expect(el.open).to.equal(true);
  });
});
