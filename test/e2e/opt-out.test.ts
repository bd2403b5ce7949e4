/**
 * Opt-out end to end, against the fake Twilio REST API on a socket (the relay in Twilio mode,
 * not the simulator): a customer's signed "STOP" webhook shows the notice in the panel and
 * disables sending; the relay refuses a send with 422 opted_out and Twilio receives nothing;
 * "START" lets the agent write again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { agentApi } from './support/api.ts';
import { agentMessage, agentSend, composerBox, errorsOf, hidden, incoming, launchBrowser, newPerson, openAgent, screenshot, setPresence, until, visible } from './support/browser.ts';
import { startFakeTwilio, type FakeTwilioProcess } from './support/fake-twilio.ts';
import { BUSINESS_NUMBER, postWebhook, startTwilioModeRelay } from './support/twilio.ts';
import { ensureBuilt, removeDir, tempDataDir, type RelayProcess } from './support/relay.ts';

const CUSTOMER = '+447700900123';
const NOTICE = 'The customer opted out of WhatsApp messages from this number (they sent STOP) or blocked it. Nothing can be sent until they write again; after STOP, until they send START.';

describe('opt-out end to end (relay + panel + fake Twilio)', () => {
  const dataDir = tempDataDir();
  let twilio: FakeTwilioProcess;
  let relay: RelayProcess;
  let browser: Browser;
  let agent: Page;
  let sequence = 0;

  before(async () => {
    ensureBuilt();
    twilio = await startFakeTwilio();
    [relay, browser] = await Promise.all([
      startTwilioModeRelay(dataDir, twilio),
      launchBrowser(),
    ]);
    agent = (await newPerson(browser)).page;
    await openAgent(agent, relay.base, 'agent-1');
    await setPresence(agent, 'Available');
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
    await twilio?.stop();
    removeDir(dataDir);
  });

  /** The customer's message as Twilio posts it: form-encoded, signed with the account's auth token. */
  async function customerSays(body: string): Promise<void> {
    sequence += 1;
    const params = {
      MessageSid: `SM${String(sequence).padStart(32, '0')}`,
      AccountSid: twilio.accountSid,
      From: `whatsapp:${CUSTOMER}`,
      To: `whatsapp:${BUSINESS_NUMBER}`,
      Body: body,
      NumMedia: '0',
      ProfileName: 'Sam Okafor',
      WaId: CUSTOMER.slice(1),
    };
    assert.equal(await postWebhook(twilio, relay.base, '/twilio/inbound', params), 200, 'the signed webhook is taken');
  }

  const sendButton = () => agent.getByRole('button', { name: 'Send', exact: true });
  const notice = () => agent.locator('wcp-composer').getByText(NOTICE);

  it('STOP disables sending with the notice; the relay refuses and Twilio gets nothing; START enables it again', async () => {
    await customerSays('Hi, where is my parcel?');
    const offer = await visible(incoming(agent));
    await offer.getByRole('button', { name: 'Accept' }).click();
    await hidden(incoming(agent));
    await visible(agentMessage(agent, 'where is my parcel?'));
    await agentSend(agent, 'Let me check, one moment.');
    await until('the reply reached Twilio', async () => (await twilio.sent()).length === 1);

    await customerSays('STOP');
    await visible(notice());
    assert.equal(await composerBox(agent).isDisabled(), true, 'the message box is disabled');
    assert.equal(await sendButton().isDisabled(), true, 'Send is disabled');
    assert.equal(await agent.getByRole('button', { name: 'Send template', exact: true }).isDisabled(), true, 'templates cannot be sent either');
    await screenshot(agent, 'opt-out-notice');

    const api = await agentApi(relay.base, 'agent-1');
    const [conversation] = await api.conversations('active');
    const refused = await fetch(`${relay.base}/api/v1/conversations/${conversation!.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Are you still there?' }),
    });
    assert.equal(refused.status, 422);
    assert.equal(((await refused.json()) as { error: string }).error, 'opted_out');
    await new Promise((resolve) => setTimeout(resolve, 500)); // the outbox would have sent by now
    assert.equal((await twilio.sent()).length, 1, 'nothing more reached Twilio');

    await customerSays('START');
    await hidden(notice());
    assert.equal(await composerBox(agent).isDisabled(), false, 'the message box is enabled again');
    await agentSend(agent, 'Welcome back!');
    await until('the reply after START reached Twilio', async () => (await twilio.sent()).length === 2);
    assert.deepEqual(errorsOf(agent), [], 'no uncaught errors in the panel');
  });
});
