/**
 * Team work between two agents in one browser (each in its own context): Alex Morgan (agent-1)
 * accepts and transfers to Sam Rivera (agent-2) with a note; Sam sees who transferred it and
 * why, accepts, and has the transcript; Sam consults Alex, who reads it, adds a note and
 * cannot write to the customer; Sam wraps up, the customer writes again (a new conversation,
 * Alex's), and Sam closes the wrap-up with a disposition.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { agentApi, simulatorApi } from './support/api.ts';
import { composerBox, hidden, incoming, launchBrowser, newPerson, openAgent, screenshot, setPresence, transcript, visible } from './support/browser.ts';
import { ensureBuilt, removeDir, startRelay, tempDataDir, type RelayProcess } from './support/relay.ts';

const CUSTOMER = '+5511987650123';
const FIRST = 'My order arrived damaged, can I get a refund?';
const NOTE = 'Refund over £200 — needs billing. <b>not bold</b>';
const LATE = 'One more thing: could you also send the invoice?';

describe('transfer, consult and wrap-up between two agents', () => {
  const dataDir = tempDataDir();
  let relay: RelayProcess;
  let browser: Browser;
  let alex: Page;
  let sam: Page;

  before(async () => {
    ensureBuilt();
    [relay, browser] = await Promise.all([startRelay({ dataDir }), launchBrowser()]);
    alex = (await newPerson(browser, { width: 1100, height: 850 })).page;
    sam = (await newPerson(browser, { width: 1100, height: 850 })).page;
    await openAgent(alex, relay.base, 'agent-1');
    await openAgent(sam, relay.base, 'agent-2');
    // Only Alex takes new work, so the first offer is his.
    await setPresence(alex, 'Available');
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
    removeDir(dataDir);
  });

  it('transfers with a note: the colleague sees who and why, accepts, and the transcript travels', async () => {
    await simulatorApi(relay.base).customerSays(CUSTOMER, 'Priya Shah', FIRST);
    const offer = await visible(incoming(alex).filter({ hasText: 'Priya Shah' }));
    await offer.getByRole('button', { name: 'Accept' }).click();
    await visible(transcript(alex).getByText(FIRST));
    await setPresence(sam, 'Available');

    await alex.getByRole('button', { name: 'Transfer', exact: true }).click();
    const dialog = await visible(alex.getByRole('dialog', { name: 'Transfer conversation' }));
    await dialog.getByRole('combobox', { name: 'Transfer to' }).selectOption({ label: 'Sam Rivera' });
    await dialog.getByRole('textbox', { name: 'Note' }).fill(NOTE);
    await visible(dialog.getByText(`${NOTE.length} of 1,000 characters`));
    await screenshot(alex, '14-transfer-dialog');
    await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
    await hidden(dialog);
    // The transferring agent no longer sees it.
    await hidden(transcript(alex));

    const transferred = await visible(incoming(sam).filter({ hasText: 'Priya Shah' }));
    await visible(transferred.getByText('Transferred by Alex Morgan'));
    // The note is shown as the agent wrote it: text, not markup.
    await visible(transferred.getByText(NOTE, { exact: true }));
    assert.equal(await transferred.locator('b').count(), 0);
    await screenshot(sam, '14-transferred-offer');
    await transferred.getByRole('button', { name: 'Accept' }).click();
    await visible(transcript(sam).getByText(FIRST));
    const mine = (await (await agentApi(relay.base, 'agent-2')).conversations()).find((c) => c.customer.phone === CUSTOMER);
    assert.equal(mine?.assignedAgentId, 'agent-2');
  });

  it('consults a colleague, who reads it, adds a note and cannot write to the customer', async () => {
    await sam.getByRole('button', { name: 'Consult', exact: true }).click();
    const dialog = await visible(sam.getByRole('dialog', { name: 'Consult an agent' }));
    await dialog.getByRole('combobox', { name: 'Agent' }).selectOption({ label: 'Alex Morgan (Available)' });
    await dialog.getByRole('button', { name: 'Invite' }).click();
    await hidden(dialog);
    await visible(sam.getByText('In consult with Alex Morgan'));

    // Alex: read-only, marked, with the transcript and the notes box, without a composer.
    await visible(transcript(alex).getByText(FIRST));
    await visible(alex.locator('.consulting-marker', { hasText: 'Consulting' }));
    assert.equal(await composerBox(alex).count(), 0, 'no Message box for the consultant');
    assert.equal(await alex.getByRole('button', { name: 'Send', exact: true }).count(), 0, 'no Send for the consultant');
    await alex.getByRole('tab', { name: 'Notes' }).click();
    await alex.getByRole('textbox', { name: 'New note' }).fill('Approved up to £250 last month — fine to refund.');
    await alex.getByRole('button', { name: 'Add note' }).click();
    await visible(alex.getByText('Approved up to £250 last month — fine to refund.'));
    await screenshot(alex, '14-consultant-view');

    // The relay refuses a consultant's send and sends nothing.
    const { token } = await agentApi(relay.base, 'agent-1');
    const id = (await (await agentApi(relay.base, 'agent-2')).conversations()).find((c) => c.customer.phone === CUSTOMER)!.id;
    const refused = await fetch(`${relay.base}/api/v1/conversations/${id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Hi, Alex here' }),
    });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: string }).error, 'consult_only');
    const phone = await simulatorApi(relay.base).phoneMessages(CUSTOMER);
    assert.ok(!phone.some((m) => m.body === 'Hi, Alex here'), 'nothing reached the customer');

    // The holder sees the note too.
    await sam.getByRole('tab', { name: 'Notes' }).click();
    await visible(sam.getByText('Approved up to £250 last month — fine to refund.'));
  });

  it('a message the customer writes during the wrap-up comes as a new conversation; the wrap-up writes nothing more', async () => {
    await sam.getByRole('button', { name: 'Wrap-up', exact: true }).click();
    await visible(sam.getByRole('note').filter({ hasText: 'You ended this conversation.' }));
    assert.equal(await composerBox(sam).isDisabled(), true, "the wrap-up's composer is off");

    // Sam is not taking work: the new conversation goes to Alex, as any customer's would.
    await setPresence(sam, 'Do not disturb');
    await simulatorApi(relay.base).customerSays(CUSTOMER, 'Priya Shah', LATE);
    const offer = await visible(incoming(alex).filter({ hasText: LATE }));
    await offer.getByRole('button', { name: 'Accept' }).click();
    await visible(transcript(alex).getByText(LATE));
    assert.equal(await transcript(alex).getByText(FIRST).count(), 0, 'a conversation of its own');
    // Sam's wrap-up is as it was.
    assert.equal(await transcript(sam).getByText(LATE).count(), 0);
    await visible(sam.getByRole('combobox', { name: 'Disposition' }));
  });

  it('wraps up and closes with a disposition, which shows; the consult ends with it', async () => {
    await sam.getByRole('combobox', { name: 'Disposition' }).selectOption({ label: 'Resolved' });
    await sam.getByRole('textbox', { name: 'Summary' }).fill('Refund issued for the damaged order.');
    await sam.getByRole('button', { name: 'Close conversation' }).click();
    await visible(sam.getByRole('status').filter({ hasText: 'Conversation with Priya Shah closed: Resolved' }));
    await hidden(transcript(sam));
    await screenshot(sam, '14-closed-with-disposition');

    const closed = (await (await agentApi(relay.base, 'agent-2')).conversations('closed')).find((c) => c.customer.phone === CUSTOMER) as
      | { disposition?: string }
      | undefined;
    assert.equal(closed?.disposition, 'resolved');
  });
});
