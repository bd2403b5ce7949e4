/**
 * One relay, one agent (Alex Morgan, agent-1) and a customer phone page: a stranger's
 * conversation end to end, a known contact, the side pane, media both ways, quick replies,
 * and — last, because it moves the relay's clock for everyone — the 24-hour window.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { agentApi, simulatorApi } from './support/api.ts';
import {
  agentMessage,
  agentSend,
  composerBox,
  customerSend,
  errorsOf,
  hidden,
  incoming,
  launchBrowser,
  newPerson,
  openAgent,
  openPhone,
  phoneChat,
  phoneMessage,
  presence,
  screenshot,
  setPresence,
  transcript,
  until,
  visible,
} from './support/browser.ts';
import { makePng, PDF } from './support/files.ts';
import { ensureBuilt, removeDir, startRelay, tempDataDir, type RelayProcess } from './support/relay.ts';

const WINDOW_TEXT = 'This conversation has exceeded the 24 hour limit to respond to the customer.';

describe('a conversation end to end (relay + panel + customer phone)', () => {
  const dataDir = tempDataDir();
  let relay: RelayProcess;
  let browser: Browser;
  let agent: Page;
  let phone: Page;

  before(async () => {
    ensureBuilt();
    [relay, browser] = await Promise.all([startRelay({ dataDir, env: { AGENT_CAPACITY: '20' } }), launchBrowser()]);
    agent = (await newPerson(browser)).page;
    phone = (await newPerson(browser, { width: 1000, height: 820 })).page;
    await openAgent(agent, relay.base, 'agent-1');
    await setPresence(agent, 'Available');
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
    removeDir(dataDir);
  });

  /** The customer writes from the phone page; the agent accepts the offer it gets. */
  async function startConversation(number: string, profileName: string, text: string): Promise<void> {
    await openPhone(phone, relay.base, number, profileName);
    await customerSend(phone, text);
    const offer = await visible(incoming(agent));
    await offer.getByRole('button', { name: 'Accept' }).click();
    await hidden(incoming(agent));
    await visible(agentMessage(agent, text));
  }

  it('1. a stranger writes, the agent accepts and replies; the reply is delivered, then read', async () => {
    const number = '+447700900999';
    await openPhone(phone, relay.base, number, 'Dev Patel');
    await customerSend(phone, 'Hello, is anyone there? My order has not arrived.');
    await screenshot(phone, '01-phone-stranger-writes');

    const offer = await visible(incoming(agent));
    const offerText = (await offer.innerText()).replace(/\s+/g, ' ');
    assert.match(offerText, /Dev Patel/, 'the profile name is on the notification');
    assert.match(offerText, /\+447700900999/, 'the number is on the notification');
    assert.doesNotMatch(offerText, /Authenticated/, 'a stranger is not authenticated');
    await screenshot(agent, '01-agent-incoming-notification');

    await offer.getByRole('button', { name: 'Accept' }).click();
    await hidden(incoming(agent));
    await visible(agentMessage(agent, 'My order has not arrived.'));

    // The customer puts the phone away: the reply can be delivered but not read yet.
    await phone.goto('about:blank');
    await agentSend(agent, 'Hi Dev, I am sorry about that. Let me check your order.');
    const reply = agentMessage(agent, 'Let me check your order.');
    await visible(reply.getByRole('img', { name: 'Delivered' }));
    assert.equal(await composerBox(agent).inputValue(), '', 'the composer is cleared after sending');
    await screenshot(agent, '01-agent-reply-delivered');

    // The customer opens the chat: the reply is there and becomes read.
    await openPhone(phone, relay.base, number, 'Dev Patel');
    await visible(phoneMessage(phone, 'Let me check your order.'));
    await visible(reply.getByRole('img', { name: 'Read' }));
    await screenshot(phone, '01-phone-sees-reply');
    await screenshot(agent, '01-agent-reply-read');
    assert.deepEqual(errorsOf(agent), [], 'no uncaught errors in the panel');
    assert.deepEqual(errorsOf(phone), [], 'no uncaught errors on the phone page');
  });

  it('2. a known contact writes: the notification shows the CRM name as authenticated', async () => {
    await openPhone(phone, relay.base, '+14155550100', 'Maria C');
    await customerSend(phone, 'Hi, I need an update on my delivery.');
    const offer = await visible(incoming(agent));
    const offerText = (await offer.innerText()).replace(/\s+/g, ' ');
    assert.match(offerText, /Maria Campbell/, 'the contact name from the CRM, not the WhatsApp profile name');
    assert.match(offerText, /Authenticated/);
    await screenshot(agent, '02-agent-known-contact-offer');
    await offer.getByRole('button', { name: 'Accept' }).click();
    await visible(agentMessage(agent, 'update on my delivery'));
    const conversation = agent.getByRole('region', { name: 'Conversation with Maria Campbell' });
    await visible(conversation);
    assert.match(await conversation.getByRole('heading', { level: 2 }).first().innerText(), /Authenticated/);
  });

  it('2b. the customer summary shows the matched contact, and the conversation is linked to it on accept', async () => {
    const summary = agent.getByRole('tabpanel', { name: 'Summary' });
    await agent.getByRole('tab', { name: 'Summary' }).click();
    await visible(summary);
    await visible(summary.getByText('Maria Campbell', { exact: true }).first());
    // An authenticated customer: linked to the contact without the agent doing anything (Omnichannel's behaviour).
    await visible(summary.getByRole('button', { name: 'Open Maria Campbell' }));
    const api = await agentApi(relay.base, 'agent-1');
    const linked = (await api.conversations()).find((c) => c.customer.phone === '+14155550100') as unknown as { linkedRecord: { entityType: string; name: string } | null };
    assert.deepEqual(linked.linkedRecord && { entityType: linked.linkedRecord.entityType, name: linked.linkedRecord.name }, { entityType: 'contact', name: 'Maria Campbell' });
    await visible(summary.getByText('maria.campbell@contoso.example'));
    await visible(summary.getByText('Contoso Pharmaceuticals'));
    await screenshot(agent, '02-agent-customer-summary');
  });

  it('6a. media both ways: a photo from the customer, a PDF from the agent', async () => {
    await startConversation('+819012345678', 'Aiko Tanaka', 'Here is a photo of the damaged box.');
    await phone.getByLabel('Attach file').setInputFiles({ name: 'damaged-box.png', mimeType: 'image/png', buffer: makePng(160, 120) });
    await visible(phone.getByText('damaged-box.png'));
    await phone.getByRole('button', { name: 'Send', exact: true }).click();
    await visible(phoneChat(phone).getByRole('img', { name: 'Image you sent' }));

    const image = transcript(agent).getByRole('img', { name: /Image from|damaged-box/ });
    await visible(image);
    await until('the image in the panel has loaded', () => image.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0));

    const chooser = agent.waitForEvent('filechooser');
    await agent.getByRole('button', { name: 'Attach file' }).click();
    await (await chooser).setFiles({ name: 'returns-label.pdf', mimeType: 'application/pdf', buffer: PDF });
    await composerBox(agent).fill('Please print this returns label.');
    await agent.getByRole('button', { name: 'Send', exact: true }).click();
    await visible(agentMessage(agent, 'Please print this returns label.'));
    await visible(phoneMessage(phone, 'Please print this returns label.').getByRole('link', { name: /PDF document/ }));
    await screenshot(agent, '06-agent-media');
    await screenshot(phone, '06-phone-media');
  });

  it('6b. a quick reply with placeholders ("/" in the composer)', async () => {
    await composerBox(agent).fill('/greet');
    const list = await visible(agent.getByRole('listbox', { name: 'Quick replies' }));
    await visible(list.getByRole('option', { name: /Greeting/ }));
    await screenshot(agent, '06-agent-quick-replies');
    await composerBox(agent).press('Enter');
    await until('the quick reply fills the composer', async () =>
      (await composerBox(agent).inputValue()) === 'Hi Aiko Tanaka, this is Alex Morgan from Contoso support. How can I help you today?',
    );
    await agent.getByRole('button', { name: 'Send', exact: true }).click();
    await visible(phoneMessage(phone, 'Hi Aiko Tanaka, this is Alex Morgan'));
  });

  it('6c. a note on the conversation', async () => {
    await agent.getByRole('tab', { name: 'Notes' }).click();
    const notes = await visible(agent.getByRole('tabpanel', { name: 'Notes' }));
    await notes.getByRole('textbox', { name: 'New note' }).fill('Customer sent a photo of a damaged box; label sent.');
    await notes.getByRole('button', { name: 'Add note' }).click();
    await visible(notes.getByRole('listitem').filter({ hasText: 'damaged box; label sent' }));
    await screenshot(agent, '06-agent-note');
  });

  it('6d. a linked record', async () => {
    await agent.getByRole('tab', { name: 'Records' }).click();
    const records = await visible(agent.getByRole('tabpanel', { name: 'Records' }));
    await records.getByRole('searchbox', { name: 'Search records' }).fill('Contoso');
    await records.getByRole('button', { name: 'Search', exact: true }).click();
    await records.getByRole('button', { name: 'Link Contoso Pharmaceuticals' }).click();
    await visible(records.getByRole('button', { name: 'Contoso Pharmaceuticals is linked' }));
    const api = await agentApi(relay.base, 'agent-1');
    const mine = await api.conversations();
    const linked = mine.find((c) => c.customer.phone === '+819012345678') as unknown as { linkedRecord: { name: string } | null };
    assert.equal(linked.linkedRecord?.name, 'Contoso Pharmaceuticals', 'the relay stored the link');
    await screenshot(agent, '06-agent-linked-record');
  });

  it('6e. a transcript search', async () => {
    await agent.getByRole('tab', { name: 'Search' }).click();
    const search = await visible(agent.getByRole('tabpanel', { name: 'Search' }));
    await search.getByRole('searchbox', { name: 'Search conversations' }).fill('arrived');
    await search.getByRole('button', { name: 'Search', exact: true }).click();
    const results = await visible(search.getByRole('list', { name: 'Search results' }));
    await visible(results.getByRole('button').filter({ hasText: 'Dev Patel' }));
    await screenshot(agent, '06-agent-transcript-search');
  });

  it('6f. a presence change reaches the relay', async () => {
    await setPresence(agent, 'Busy');
    const api = await agentApi(relay.base, 'agent-1');
    await until('the relay has the agent as busy', async () => (await api.me()).presence === 'busy');
    // What the agent sees in the select must be what the relay has.
    const shown = () => presence(agent).evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent?.trim() ?? '');
    await until('the presence select shows Busy', async () => (await shown()) === 'Busy', 3_000);
    await setPresence(agent, 'Available');
    await until('the relay has the agent as available', async () => (await api.me()).presence === 'available');
    await until('the presence select shows Available', async () => (await shown()) === 'Available', 3_000);
  });

  it('4. after 24 h a free-form reply is refused and the draft kept; a template goes out; a new message re-opens the window', async () => {
    const number = '+4915112345678';
    await startConversation(number, 'Lena Fischer', 'Can you call me back tomorrow?');
    await agentSend(agent, 'Sure, I will call you tomorrow morning.');
    await visible(phoneMessage(phone, 'I will call you tomorrow morning.'));

    // The customer presses "+24 h" on the phone page.
    await phone.getByRole('button', { name: '+24 h' }).click();
    await until('the phone shows the clock offset', async () => (await phone.locator('#clock-offset').innerText()) === '+24 h');

    const draft = 'Good morning Lena, are you free for a call now?';
    await agentSend(agent, draft);
    const alert = agent.getByRole('alert').filter({ hasText: WINDOW_TEXT });
    await visible(alert);
    assert.equal((await alert.innerText()).trim(), WINDOW_TEXT, 'exactly the 24-hour text');
    assert.equal(await composerBox(agent).inputValue(), draft, 'the draft is kept');
    await screenshot(agent, '04-agent-window-expired');
    const before = await simulatorApi(relay.base).phoneMessages(number);
    assert.ok(!before.some((m) => m.body === draft), 'nothing was sent to the customer');

    // A template instead.
    await agent.getByRole('button', { name: 'Send template' }).click();
    const picker = await visible(agent.getByRole('dialog', { name: 'Choose a template' }));
    await picker.getByRole('radio', { name: /follow_up/ }).check();
    await until('the template variables are filled from the CRM and the agent', async () => (await picker.getByRole('textbox', { name: 'Customer name' }).inputValue()) === 'Lena Fischer');
    assert.equal(await picker.getByRole('textbox', { name: 'Agent name' }).inputValue(), 'Alex Morgan');
    await screenshot(agent, '04-agent-template-picker');
    await picker.getByRole('button', { name: 'Send', exact: true }).click();
    await hidden(picker);
    await visible(phoneMessage(phone, "We're following up on your request"));
    await visible(phoneMessage(phone, 'Hello Lena Fischer, this is Alex Morgan from Contoso'));

    // The customer answers: the window re-opens and free text works again.
    await customerSend(phone, 'Yes, call me now please.');
    await visible(agentMessage(agent, 'call me now please'));
    await hidden(agent.getByRole('alert').filter({ hasText: WINDOW_TEXT }));
    await agent.getByRole('button', { name: 'Send', exact: true }).click(); // the kept draft
    await visible(phoneMessage(phone, draft));
    await screenshot(agent, '04-agent-window-reopened');
    await screenshot(phone, '04-phone-after-template');
  });
});
