/**
 * axe-core finds no serious or critical violation on the demo form with the panel (a live
 * conversation and a pending offer on screen, light and dark) and on the customer phone
 * simulator (with text, an image and a PDF in the chat). Also takes the narrow (360 px)
 * and dark screenshots of the panel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { simulatorApi } from './support/api.ts';
import {
  agentMessage,
  agentSend,
  describeViolations,
  hidden,
  incoming,
  launchBrowser,
  newPerson,
  openAgent,
  openPhone,
  phoneChat,
  phoneMessage,
  screenshot,
  seriousViolations,
  setPresence,
  visible,
} from './support/browser.ts';
import { makePng, PDF } from './support/files.ts';
import { ensureBuilt, removeDir, startRelay, tempDataDir, type RelayProcess } from './support/relay.ts';

describe('accessibility (axe-core)', () => {
  const dataDir = tempDataDir();
  let relay: RelayProcess;
  let browser: Browser;
  let agent: Page;
  let phone: Page;

  before(async () => {
    ensureBuilt();
    [relay, browser] = await Promise.all([startRelay({ dataDir }), launchBrowser()]);
    agent = (await newPerson(browser, undefined, { bypassCSP: true })).page;
    phone = (await newPerson(browser, { width: 1000, height: 820 }, { bypassCSP: true })).page;
    await openAgent(agent, relay.base, 'agent-1');
    await setPresence(agent, 'Available');

    // A live conversation with a known contact, with media both ways...
    await openPhone(phone, relay.base, '+14155550100', 'Maria C');
    await phone.getByRole('textbox', { name: 'Message', exact: true }).fill('Hi! The parcel arrived damaged, photo attached.');
    await phone.getByLabel('Attach file').setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: makePng(200, 140) });
    await phone.getByRole('button', { name: 'Send', exact: true }).click();
    await visible(phoneMessage(phone, 'arrived damaged'));
    await (await visible(incoming(agent))).getByRole('button', { name: 'Accept' }).click();
    await hidden(incoming(agent));
    await visible(agentMessage(agent, 'arrived damaged'));
    await agentSend(agent, 'So sorry, Maria. A replacement is on its way today.');
    const chooser = agent.waitForEvent('filechooser');
    await agent.getByRole('button', { name: 'Attach file' }).click();
    await (await chooser).setFiles({ name: 'replacement-order.pdf', mimeType: 'application/pdf', buffer: PDF });
    await agent.getByRole('button', { name: 'Send', exact: true }).click();
    await visible(phoneChat(phone).getByRole('link', { name: /PDF document/ }));
    await visible(agentMessage(agent, 'replacement is on its way').getByRole('img', { name: 'Read' }));

    // ...and a stranger waiting with an offer.
    await simulatorApi(relay.base).customerSays('+447700900999', 'Dev Patel', 'Hello? Anyone there?');
    await visible(incoming(agent));
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
    removeDir(dataDir);
  });

  it('7a. the demo form with the panel (light theme)', async () => {
    await screenshot(agent, '07-agent-light', { fullPage: true });
    const violations = await seriousViolations(agent);
    assert.equal(violations.length, 0, describeViolations(violations));
  });

  it('7b. the demo form with the panel (dark theme)', async () => {
    await agent.emulateMedia({ colorScheme: 'dark' });
    try {
      await screenshot(agent, '07-agent-dark', { fullPage: true });
      const violations = await seriousViolations(agent);
      assert.equal(violations.length, 0, describeViolations(violations));
    } finally {
      await agent.emulateMedia({ colorScheme: 'light' });
    }
  });

  it('7c. the panel at 360 px wide (a narrow form section)', async () => {
    await agent.setViewportSize({ width: 360, height: 780 });
    try {
      const panel = agent.locator('wcp-panel');
      await panel.scrollIntoViewIfNeeded();
      await screenshot(agent, '07-panel-360px', { locator: panel });
      const overflow = await agent.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `no horizontal scrolling at 360 px (overflow ${overflow} px)`);
      const violations = await seriousViolations(agent);
      assert.equal(violations.length, 0, describeViolations(violations));
    } finally {
      await agent.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('7d. the customer phone simulator', async () => {
    await screenshot(phone, '07-phone');
    const violations = await seriousViolations(phone);
    assert.equal(violations.length, 0, describeViolations(violations));
  });
});
