import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AgentSummary } from '@wcp/protocol';
import type { ConsultEvent } from '../events/consult-event.js';
import type { WcpConsultDialog } from './wcp-consult-dialog.js';
import './wcp-consult-dialog.js';

const agents: AgentSummary[] = [
  { id: 'agent-2', name: 'Jordan Lee', presence: 'busy', available: false },
  { id: 'agent-3', name: 'Sam Ortiz', presence: 'available', available: true },
  { id: 'agent-4', name: 'Kim Park', presence: 'offline', available: false },
];
const button = (el: WcpConsultDialog, name: string) => [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === name)!;
const select = (el: WcpConsultDialog) => el.shadowRoot!.querySelector('select')!;

async function opened() {
  const wrapper = await fixture<HTMLDivElement>(html`<div>
    <button id="opener">Consult</button>
    <wcp-consult-dialog .agents=${agents}></wcp-consult-dialog>
  </div>`);
  const el = wrapper.querySelector('wcp-consult-dialog')!;
  const opener = wrapper.querySelector<HTMLButtonElement>('#opener')!;
  opener.focus();
  await el.show();
  return { el, opener };
}

describe('wcp-consult-dialog', () => {
  it('is a modal dialog named "Consult an agent" listing colleagues with their presence', async () => {
    const { el } = await opened();
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.matches(':modal')).to.equal(true);
    expect(el.shadowRoot!.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).to.equal('Consult an agent');
    // A consult needs no free capacity: a busy colleague can be asked; an offline one would never see it.
    expect([...select(el).options].map((o) => [o.textContent!.trim(), o.disabled])).to.deep.equal([
      ['Choose a colleague…', false],
      ['Jordan Lee (Busy)', false],
      ['Sam Ortiz (Available)', false],
      ['Kim Park (Offline)', true],
    ]);
    expect(button(el, 'Invite').disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('invites the chosen colleague, by keyboard only', async () => {
    const { el } = await opened();
    await waitUntil(() => el.shadowRoot!.activeElement === select(el), 'focus in the dialog');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    await sendKeys({ press: 'Tab' }); // Cancel
    await sendKeys({ press: 'Tab' }); // Invite
    expect(el.shadowRoot!.activeElement).to.equal(button(el, 'Invite'));
    const sent = oneEvent(el, 'wcp-consult');
    await sendKeys({ press: 'Enter' });
    expect(((await sent) as unknown as ConsultEvent).agentId).to.equal('agent-2');
  });

  it('shows the relay’s refusal inside the dialog', async () => {
    const { el } = await opened();
    el.error = 'This conversation is closed.';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('dialog [role="alert"]')!.textContent).to.equal('This conversation is closed.');
    await expect(el).to.be.accessible();
  });

  it('closes on Escape and gives focus back to the opener', async () => {
    const { el, opener } = await opened();
    await waitUntil(() => el.shadowRoot!.activeElement === select(el), 'focus in the dialog');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !el.open, 'closed');
    await waitUntil(() => document.activeElement === opener, 'focus back on the opener');
  });
});
