/**
 * Routing between two agents, both Available, each in their own browser context:
 * a rejected offer passes to the other agent; an ignored offer expires and passes on.
 * The relay runs with OFFER_TIMEOUT_SECONDS=5 (its minimum) so expiry takes seconds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { agentApi, simulatorApi } from './support/api.ts';
import { hidden, incoming, launchBrowser, newPerson, openAgent, screenshot, setPresence, until, visible } from './support/browser.ts';
import { ensureBuilt, removeDir, startRelay, tempDataDir, type RelayProcess } from './support/relay.ts';

describe('routing between two agents', () => {
  const dataDir = tempDataDir();
  let relay: RelayProcess;
  let browser: Browser;
  const agents: Record<'agent-1' | 'agent-2', Page> = {} as Record<'agent-1' | 'agent-2', Page>;

  before(async () => {
    ensureBuilt();
    [relay, browser] = await Promise.all([startRelay({ dataDir, env: { OFFER_TIMEOUT_SECONDS: '5' } }), launchBrowser()]);
    for (const id of ['agent-1', 'agent-2'] as const) {
      const { page } = await newPerson(browser, { width: 900, height: 800 });
      await openAgent(page, relay.base, id);
      await setPresence(page, 'Available');
      agents[id] = page;
    }
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
    removeDir(dataDir);
  });

  /** Which agent's page shows the offer for this customer (exactly one must). */
  async function offeredTo(profileName: string): Promise<'agent-1' | 'agent-2'> {
    return until(`one agent is offered ${profileName}'s conversation`, async () => {
      const showing: ('agent-1' | 'agent-2')[] = [];
      for (const id of ['agent-1', 'agent-2'] as const) {
        if (await incoming(agents[id]).filter({ hasText: profileName }).isVisible()) showing.push(id);
      }
      return showing.length === 1 ? showing[0] : null;
    });
  }

  const other = (id: 'agent-1' | 'agent-2') => (id === 'agent-1' ? 'agent-2' : 'agent-1');

  it('3a. Reject passes the offer to the second agent, who can accept it', async () => {
    await simulatorApi(relay.base).customerSays('+33699900011', 'Camille Martin', 'Bonjour, I have a question about my invoice.');
    const first = await offeredTo('Camille Martin');
    await screenshot(agents[first], '03-first-agent-offer');
    await incoming(agents[first]).getByRole('button', { name: 'Reject' }).click();
    await hidden(incoming(agents[first]).filter({ hasText: 'Camille Martin' }));

    const second = other(first);
    const offer = await visible(incoming(agents[second]).filter({ hasText: 'Camille Martin' }));
    await screenshot(agents[second], '03-second-agent-offer-after-reject');
    await offer.getByRole('button', { name: 'Accept' }).click();
    await visible(agents[second].getByRole('log', { name: 'Conversation transcript' }).getByText('question about my invoice'));
    assert.equal(await incoming(agents[first]).count(), 0, 'the first agent has no offer left');
    const assigned = (await (await agentApi(relay.base, second)).conversations()).find((c) => c.customer.phone === '+33699900011');
    assert.equal(assigned?.assignedAgentId, second);
  });

  it('3b. an ignored offer expires and passes on to the other agent', async () => {
    await simulatorApi(relay.base).customerSays('+33698765432', 'Hugo Bernard', 'Is anyone available?');
    const first = await offeredTo('Hugo Bernard');
    const startedAt = Date.now();
    // Nobody answers: after OFFER_TIMEOUT_SECONDS (5 s) the offer leaves the first agent...
    await hidden(incoming(agents[first]).filter({ hasText: 'Hugo Bernard' }), 12_000);
    // ...and reaches the second.
    const second = other(first);
    await visible(incoming(agents[second]).filter({ hasText: 'Hugo Bernard' }), 5_000);
    const waited = Date.now() - startedAt;
    assert.ok(waited >= 3_500, `the offer was withdrawn after its timeout, not at once (${waited} ms)`);
    await screenshot(agents[second], '03-offer-passed-on-after-expiry');
    await incoming(agents[second]).filter({ hasText: 'Hugo Bernard' }).getByRole('button', { name: 'Accept' }).click();
    await visible(agents[second].getByRole('log', { name: 'Conversation transcript' }).getByText('Is anyone available?'));
  });
});
