import { expect, fixture, html } from '@open-wc/testing';
import type { Queue } from '@wcp/protocol';
import type { WcpQueueStatus } from './wcp-queue-status.js';
import './wcp-queue-status.js';

const queue = (id: string, name: string, waiting: number): Queue => ({ id, name, numbers: [], agentIds: ['agent-1'], waiting, longestWaitSince: null });

describe('wcp-queue-status', () => {
  it('lists the agent’s queues with how many wait, as a list named "Your queues"', async () => {
    const el = await fixture<WcpQueueStatus>(html`<wcp-queue-status .queues=${[queue('general', 'General', 0), queue('billing', 'Billing', 3)]}></wcp-queue-status>`);
    const list = el.shadowRoot!.querySelector('ul')!;
    expect(list.getAttribute('aria-label')).to.equal('Your queues');
    expect([...list.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal(['General: 0 waiting', 'Billing: 3 waiting']);
    await expect(el).to.be.accessible();
  });

  it('shows nothing when the agent is in no queue (or they are not loaded)', async () => {
    const el = await fixture<WcpQueueStatus>(html`<wcp-queue-status></wcp-queue-status>`);
    expect(el.shadowRoot!.querySelector('ul')).to.equal(null);
  });
});
