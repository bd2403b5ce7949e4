/**
 * The relay crashes (SIGKILL) mid-conversation and comes back on the same port with the
 * same database: the panel reconnects by itself, the transcript has every message once,
 * and a reply the agent wrote while the relay was down is sent exactly once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { agentApi, simulatorApi } from './support/api.ts';
import {
  agentMessage,
  agentSend,
  count,
  customerSend,
  errorsOf,
  hidden,
  incoming,
  launchBrowser,
  newPerson,
  openAgent,
  openPhone,
  phoneMessage,
  screenshot,
  setPresence,
  transcript,
  until,
  visible,
} from './support/browser.ts';
import { makePng } from './support/files.ts';
import { ensureBuilt, removeDir, startRelay, tempDataDir, type RelayProcess } from './support/relay.ts';

const NUMBER = '+61412345678';
const NAME = 'Noah Wilson';

describe('relay restart mid-conversation', () => {
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
    await openAgent(agent, relay.base, 'agent-1');
    await setPresence(agent, 'Available');
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
    removeDir(dataDir);
  });

  it('5. the panel reconnects, nothing is lost or doubled, a message written while down is sent once', async () => {
    await openPhone(phone, relay.base, NUMBER, NAME);
    await customerSend(phone, 'My card was charged twice.');
    await (await visible(incoming(agent))).getByRole('button', { name: 'Accept' }).click();
    await hidden(incoming(agent));
    await visible(agentMessage(agent, 'charged twice'));
    await phone.getByLabel('Attach file').setInputFiles({ name: 'statement.png', mimeType: 'image/png', buffer: makePng(120, 90) });
    await phone.getByRole('button', { name: 'Send', exact: true }).click();
    await visible(transcript(agent).getByRole('img', { name: /Image from|statement/ }));
    await agentSend(agent, 'Let me look at your payments.');
    await visible(agentMessage(agent, 'look at your payments').getByRole('img', { name: /Delivered|Read/ }));

    // Crash.
    const port = relay.port;
    await relay.kill();
    const reconnecting = agent.getByRole('status').filter({ hasText: /Reconnecting/ });
    await visible(reconnecting);

    // The agent keeps typing: the reply waits in the panel's outbox.
    const offline = 'I can see both payments; one is being refunded now.';
    await agentSend(agent, offline);
    await visible(agentMessage(agent, offline));
    await screenshot(agent, '05-agent-relay-down');

    // Back on the same port and database.
    relay = await startRelay({ dataDir, port });
    assert.equal(relay.port, port);
    // The customer writes right away, possibly before the panel has reconnected: the
    // stream's Last-Event-ID replay must bring it.
    await simulatorApi(relay.base).customerSays(NUMBER, NAME, 'Thanks, how long does the refund take?');

    await hidden(reconnecting, 20_000);
    await visible(agentMessage(agent, 'how long does the refund take'), 15_000);
    await visible(agentMessage(agent, offline).getByRole('img', { name: /Sent|Delivered|Read/ }), 15_000);
    await visible(phoneMessage(phone, offline), 15_000);
    await screenshot(agent, '05-agent-after-restart');
    await screenshot(phone, '05-phone-after-restart');

    // Once each, everywhere — also after the agent reloads the page.
    const texts = ['charged twice', 'look at your payments', offline, 'how long does the refund take'];
    const onceEach = async () => {
      for (const text of texts) {
        await count(`"${text}" in the transcript`, agentMessage(agent, text), 1);
        await count(`"${text}" on the phone`, phoneMessage(phone, text), 1);
      }
    };
    await onceEach();
    const api = await agentApi(relay.base, 'agent-1');
    const conversation = (await api.conversations()).find((c) => c.customer.phone === NUMBER);
    assert.ok(conversation);
    const stored = await api.messages(conversation.id);
    // (The offline reply and the customer's new message raced each other: compare as sets.)
    assert.deepEqual(
      stored.map((m) => m.body).sort(),
      ['My card was charged twice.', '', 'Let me look at your payments.', offline, 'Thanks, how long does the refund take?'].sort(),
    );
    const photo = stored.find((m) => m.media.length > 0);
    assert.ok(photo, 'the photo is stored');
    assert.equal(await api.mediaStatus(photo.media[0]!.url), 200, 'the photo sent before the crash is still there');

    await agent.reload();
    await visible(agentMessage(agent, 'charged twice'));
    await onceEach();
    await visible(transcript(agent).getByRole('img', { name: /Image from|statement/ }));

    // And the conversation goes on.
    await agentSend(agent, 'About five working days.');
    await visible(phoneMessage(phone, 'About five working days.'));
    await until('the transcript has six messages', async () => (await transcript(agent).locator('[data-message-id]').count()) === 6);
    assert.deepEqual(errorsOf(agent), []);
  });
});
