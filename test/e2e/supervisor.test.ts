/**
 * The supervisor's page (issue 14) against a real relay in simulator mode: one browser with
 * the supervisor (`/supervisor`) and agent-1 (`/?agent=agent-1`) side by side. A VIP queue
 * takes the simulator's business number and its only member (agent-2) is offline, so a
 * customer's conversation waits until the supervisor assigns it. Then: assign (a refusal
 * first, in plain words), force close with a disposition, and auto-close with the relay's
 * clock moved past AUTO_CLOSE_AFTER (default 24 h).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { agentApi, simulatorApi } from './support/api.ts';
import { describeViolations, errorsOf, hidden, seriousViolations, incoming, launchBrowser, newPerson, openAgent, screenshot, setPresence, transcript, until, visible } from './support/browser.ts';
import { ensureBuilt, removeDir, startRelay, tempDataDir, type RelayProcess } from './support/relay.ts';

interface OverviewConversation {
  id: string;
  state: string;
  agentId: string | null;
  customer: { phone: string };
}

describe('the supervisor page', () => {
  const dataDir = tempDataDir();
  let relay: RelayProcess;
  let browser: Browser;
  let supervisor: Page;
  let agent: Page;
  let supervisorToken: string;

  /** The supervisor's API calls, with the demo supervisor's dev token. */
  async function asSupervisor<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${relay.base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${supervisorToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (response.status === 204 ? null : await response.json()) as T;
  }
  const liveConversation = async (phone: string) =>
    (await asSupervisor<{ conversations: OverviewConversation[] }>('GET', '/supervisor/overview')).conversations.find((c) => c.customer.phone === phone);

  const table = (name: string) => supervisor.getByRole('table', { name });
  const conversationRow = (text: string): Locator => table('Conversations').getByRole('row').filter({ hasText: text });
  const vipWaiting = () => table('Queues').getByRole('row').filter({ hasText: 'VIP' }).getByRole('cell').first();

  before(async () => {
    ensureBuilt();
    [relay, browser] = await Promise.all([startRelay({ dataDir }), launchBrowser()]);
    supervisorToken = (await agentApi(relay.base, 'supervisor')).token;
    await (await agentApi(relay.base, 'agent-2')).me(); // known to the relay, and offline
    // The simulator's one business number goes to the VIP queue, worked by agent-2 only.
    await simulatorApi(relay.base).customerSays('+447700900500', 'Setup Sender', 'setting up');
    const { businessPhone } = (await (await fetch(`${relay.base}/simulator/api/phones/%2B447700900500/messages`)).json()) as { businessPhone: string };
    await asSupervisor('PUT', '/queues/vip', { name: 'VIP', agentIds: ['agent-2'], numbers: [`whatsapp:${businessPhone}`] });
    const setup = await liveConversation('+447700900500');
    if (setup) await asSupervisor('PUT', `/conversations/${setup.id}/state`, { state: 'closed', disposition: 'spam' });

    ({ page: agent } = await newPerson(browser, { width: 1100, height: 800 }));
    await openAgent(agent, relay.base, 'agent-1');
    await setPresence(agent, 'Available');
    ({ page: supervisor } = await newPerson(browser, { width: 1400, height: 900 }, { bypassCSP: true })); // bypassCSP: axe is injected
    await supervisor.goto(`${relay.base}/supervisor`);
    await visible(table('Agents'));
    await visible(table('Queues').getByRole('row').filter({ hasText: 'VIP' }));
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
    removeDir(dataDir);
  });

  it('shows a new customer conversation live, and the queue waiting count going up', async () => {
    assert.equal((await vipWaiting().textContent())?.trim(), '0');
    await visible(table('Agents').getByRole('row').filter({ hasText: 'Alex Morgan' }).filter({ hasText: 'Available' }));
    await simulatorApi(relay.base).customerSays('+447700900501', 'Olivia Queue', 'Hello, is anyone there?');
    const row = await visible(conversationRow('Olivia Queue'));
    await visible(row.getByRole('cell', { name: 'Open', exact: true }));
    await visible(row.getByRole('cell', { name: 'VIP', exact: true }));
    await until('the VIP queue counts one waiting', async () => (await vipWaiting().textContent())?.trim() === '1');
    await screenshot(supervisor, 'supervisor-01-waiting');
    assert.deepEqual(errorsOf(supervisor), []);
    const violations = await seriousViolations(supervisor);
    assert.equal(violations.length, 0, describeViolations(violations));
  });

  it('assigns it: an offline agent is refused in plain words, agent-1 gets the offer', async () => {
    await conversationRow('Olivia Queue').getByRole('button', { name: 'Assign' }).click();
    const dialog = await visible(supervisor.getByRole('dialog', { name: /Assign conversation/ }));
    await dialog.getByRole('combobox', { name: 'Agent' }).selectOption('agent-2');
    await dialog.getByRole('button', { name: 'Assign' }).click();
    await visible(dialog.getByRole('alert').filter({ hasText: 'Sam Rivera cannot take it now: not Available or Busy, or at capacity' }));
    await screenshot(supervisor, 'supervisor-02-assign-refused');

    await dialog.getByRole('combobox', { name: 'Agent' }).selectOption('agent-1');
    await dialog.getByRole('button', { name: 'Assign' }).click();
    await hidden(dialog);
    const offer = await visible(incoming(agent).filter({ hasText: 'Olivia Queue' }));
    await screenshot(agent, 'supervisor-03-agent-offer');
    await offer.getByRole('button', { name: 'Accept' }).click();
    await visible(transcript(agent).getByText('Hello, is anyone there?'));
    const row = conversationRow('Olivia Queue');
    await visible(row.getByRole('cell', { name: 'Alex Morgan', exact: true }));
    await visible(row.getByRole('cell', { name: 'Active', exact: true }));
    await until('the VIP queue counts none waiting', async () => (await vipWaiting().textContent())?.trim() === '0');
  });

  it('reads the transcript, then force closes with a disposition: the row goes', async () => {
    await conversationRow('Olivia Queue').getByRole('button', { name: 'Transcript' }).click();
    const view = await visible(supervisor.getByRole('dialog', { name: /Transcript of the conversation with Olivia Queue/ }));
    await visible(view.getByText('Hello, is anyone there?'));
    await supervisor.keyboard.press('Escape');
    await hidden(view);

    const id = (await liveConversation('+447700900501'))!.id;
    await conversationRow('Olivia Queue').getByRole('button', { name: 'Force close' }).click();
    const dialog = await visible(supervisor.getByRole('dialog', { name: /Force close conversation/ }));
    await dialog.getByRole('combobox', { name: 'Disposition' }).selectOption('follow-up');
    await dialog.getByRole('textbox', { name: 'Summary' }).fill('Closed by the supervisor');
    await dialog.getByRole('button', { name: 'Close conversation' }).click();
    await hidden(dialog);
    await hidden(conversationRow('Olivia Queue'));
    const closed = (await agentApi(relay.base, 'agent-1')).conversations('closed');
    const record = (await closed).find((c) => c.id === id) as unknown as { disposition: string; summary: string };
    assert.equal(record.disposition, 'follow-up');
    assert.equal(record.summary, 'Closed by the supervisor');
    await hidden(transcript(agent).getByText('Hello, is anyone there?'));
  });

  it('auto-close: a waiting conversation past AUTO_CLOSE_AFTER closes itself; the agent is told, the supervisor row goes', async () => {
    await simulatorApi(relay.base).customerSays('+447700900502', 'Walter Waiting', 'I will be back later.');
    await visible(conversationRow('Walter Waiting'));
    const id = (await liveConversation('+447700900502'))!.id;
    await asSupervisor('POST', `/conversations/${id}/assign`, { agentId: 'agent-1' });
    await incoming(agent).filter({ hasText: 'Walter Waiting' }).getByRole('button', { name: 'Accept' }).click();
    await visible(transcript(agent).getByText('I will be back later.'));
    await agent.getByRole('group', { name: 'Conversation state' }).getByRole('button', { name: 'Waiting' }).click();
    await visible(conversationRow('Walter Waiting').getByRole('cell', { name: 'Waiting', exact: true }));

    await simulatorApi(relay.base).advanceClock(25 * 3600_000);
    await visible(agent.getByRole('alert').filter({ hasText: 'The conversation with Walter Waiting was closed (auto-closed)' }));
    await hidden(conversationRow('Walter Waiting'));
    await screenshot(agent, 'supervisor-04-agent-auto-closed');
    await screenshot(supervisor, 'supervisor-05-auto-closed-gone');
    const record = (await (await agentApi(relay.base, 'agent-1')).conversations('closed')).find((c) => c.id === id) as unknown as { disposition: string };
    assert.equal(record.disposition, 'auto-closed');
    assert.deepEqual(errorsOf(supervisor), []);
  });
});
