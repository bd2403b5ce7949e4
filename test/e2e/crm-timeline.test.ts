/**
 * The CRM record in the demo: Maria Campbell (a CRM contact) writes, the agent accepts on her
 * contact form, replies and closes with a disposition; the relay's CRM writer (not the
 * browser) puts the conversation on her timeline in the demo's fake Dataverse, and the form's
 * timeline shows it completed, with the disposition and the transcript as text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { agentMessage, agentSend, customerSend, errorsOf, hidden, incoming, launchBrowser, newPerson, openAgent, openPhone, screenshot, setPresence, visible } from './support/browser.ts';
import { ensureBuilt, removeDir, startRelay, tempDataDir, type RelayProcess } from './support/relay.ts';

const MARIA = '+14155550100';
const WRITER_WAIT_MS = 30_000;

describe('the CRM timeline on the demo contact form', () => {
  const dataDir = tempDataDir();
  let relay: RelayProcess;
  let browser: Browser;
  let agent: Page;
  let phone: Page;

  before(async () => {
    ensureBuilt();
    [relay, browser] = await Promise.all([startRelay({ dataDir }), launchBrowser()]);
    agent = (await newPerson(browser)).page;
    phone = (await newPerson(browser, { width: 1000, height: 820 })).page;
    await openAgent(agent, relay.base, 'agent-1', MARIA);
    await setPresence(agent, 'Available');
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
    removeDir(dataDir);
  });

  const activities = () => agent.getByRole('list', { name: 'WhatsApp conversations' });

  it('shows the closed conversation as a completed activity with its disposition and transcript', async () => {
    await visible(activities().getByText("No WhatsApp conversation on this contact's timeline yet."));

    await openPhone(phone, relay.base, MARIA, 'Maria C');
    await customerSend(phone, 'My parcel <b>arrived</b> damaged');
    const offer = await visible(incoming(agent));
    await offer.getByRole('button', { name: 'Accept' }).click();
    await hidden(incoming(agent));
    await visible(agentMessage(agent, 'arrived'));
    await agentSend(agent, 'Sorry to hear that, Maria. A replacement is on its way.');
    await visible(agentMessage(agent, 'A replacement is on its way.'));

    // Accepted (and linked to Maria's contact on accept): on her timeline, still active.
    const item = activities().getByRole('listitem').filter({ hasText: 'WhatsApp conversation with Maria C' });
    await visible(item, WRITER_WAIT_MS);
    await visible(item.getByText(/^Active/), WRITER_WAIT_MS);

    const states = agent.getByRole('group', { name: 'Conversation state' });
    await states.getByRole('button', { name: 'Wrap-up' }).click();
    await agent.getByRole('combobox', { name: 'Disposition' }).selectOption('resolved');
    await agent.getByRole('textbox', { name: 'Summary' }).fill('Replacement sent');
    await agent.getByRole('button', { name: 'Close conversation' }).click();

    await visible(item.getByText(/^Completed · Disposition: resolved · Started .+ · Ended .+/), WRITER_WAIT_MS);
    // The transcript opens from the keyboard, as text.
    const toggle = item.getByText('Transcript', { exact: true });
    await toggle.focus();
    await agent.keyboard.press('Enter');
    const transcript = item.locator('pre');
    await visible(transcript);
    const lines = (await transcript.innerText()).split('\n');
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0]!, /Z Customer: My parcel <b>arrived<\/b> damaged$/);
    assert.match(lines[1]!, /Z Alex Morgan: Sorry to hear that, Maria\. A replacement is on its way\.$/);
    assert.equal(await activities().locator('b').count(), 0, 'customer text is never markup');
    await screenshot(agent, 'crm-timeline-completed', { fullPage: true });

    // Dynamics' timeline keeps the record across a reload: it is the CRM's, not the page's.
    await agent.reload();
    await visible(activities().getByRole('listitem').filter({ hasText: 'Completed · Disposition: resolved' }), WRITER_WAIT_MS);
    assert.deepEqual(errorsOf(agent), [], 'no uncaught errors on the page');
  });
});
