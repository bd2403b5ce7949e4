/**
 * The agent's panel with the keyboard alone, in real Chromium against a real relay: accept an
 * offer, write, move between session tabs, open and leave the Transfer and Consult dialogs
 * (focus goes in, Escape closes, focus comes back to the button), wrap up and close, and, past
 * the 24-hour window, reach the template picker from the alert. axe-core checks each of those
 * screens (no serious or critical violation).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { simulatorApi } from './support/api.ts';
import {
  agentMessage,
  composerBox,
  describeViolations,
  focusedName,
  hidden,
  incoming,
  launchBrowser,
  newPerson,
  openAgent,
  seriousViolations,
  setPresence,
  tabTo,
  until,
  visible,
} from './support/browser.ts';
import { ensureBuilt, removeDir, startRelay, tempDataDir, type RelayProcess } from './support/relay.ts';

const WINDOW_TEXT = 'This conversation has exceeded the 24 hour limit to respond to the customer.';

describe('the panel by keyboard alone', () => {
  const dataDir = tempDataDir();
  let relay: RelayProcess;
  let browser: Browser;
  let agent: Page;

  before(async () => {
    ensureBuilt();
    [relay, browser] = await Promise.all([startRelay({ dataDir }), launchBrowser()]);
    agent = (await newPerson(browser, undefined, { bypassCSP: true })).page;
    await openAgent(agent, relay.base, 'agent-1');
    await setPresence(agent, 'Available');
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
    removeDir(dataDir);
  });

  async function noSeriousViolations(what: string): Promise<void> {
    const violations = await seriousViolations(agent);
    assert.equal(violations.length, 0, `${what}:\n${describeViolations(violations)}`);
  }

  async function focusIs(name: string | RegExp, what: string): Promise<void> {
    const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
    await until(`${what}: focus on ${String(name)}`, async () => matches(await focusedName(agent)), 3_000).catch(async (error: Error) => {
      throw new Error(`${error.message}; focus is on ${await focusedName(agent)}`);
    });
  }

  /** A customer writes; the agent Tabs to the offer's Accept and presses Enter. */
  async function acceptByKeyboard(phone: string, name: string, text: string): Promise<void> {
    await simulatorApi(relay.base).customerSays(phone, name, text);
    await visible(incoming(agent).filter({ hasText: name }));
    await noSeriousViolations('an incoming offer');
    await tabTo(agent, 'Accept');
    await agent.keyboard.press('Enter');
    await hidden(incoming(agent));
    await visible(agentMessage(agent, text));
    await focusIs('Message', 'after Accept');
  }

  it('accepts offers, writes and moves between session tabs', async () => {
    await acceptByKeyboard('+447700900311', 'Dev Patel', 'Hello? My parcel is late.');
    await agent.keyboard.type('Sorry to hear that, Dev. Let me check.');
    await agent.keyboard.press('Enter');
    await visible(agentMessage(agent, 'Let me check.'));
    assert.equal(await composerBox(agent).inputValue(), '', 'Enter sent the message');
    await noSeriousViolations('an accepted conversation with messages');

    await acceptByKeyboard('+447700900322', 'Ana Lima', 'Hi, I need to change my address.');
    await tabTo(agent, /^Ana Lima/, { backwards: true });
    await agent.keyboard.press('ArrowLeft');
    await focusIs(/^Dev Patel/, 'after ArrowLeft');
    await visible(agentMessage(agent, 'My parcel is late.'));
    await agent.keyboard.press('ArrowRight');
    await visible(agentMessage(agent, 'change my address'));
  });

  for (const [button, title, firstField] of [
    ['Transfer', 'Transfer conversation', 'Transfer to'],
    ['Consult', 'Consult an agent', 'Agent'],
  ] as const) {
    it(`opens the ${button} dialog: focus goes in, Escape closes it, focus comes back to ${button}`, async () => {
      await tabTo(agent, button);
      await agent.keyboard.press('Enter');
      const dialog = await visible(agent.getByRole('dialog', { name: title }));
      await visible(dialog.getByRole('combobox', { name: firstField }));
      await until(`focus inside "${title}"`, async () => (await focusedName(agent)).startsWith('Choose'), 3_000);
      await noSeriousViolations(`the ${title} dialog`);
      await agent.keyboard.press('Escape');
      await hidden(dialog);
      await focusIs(button, `after Escape in ${title}`);
    });
  }

  it('wraps up and closes the conversation; focus carries on to the other one', async () => {
    await tabTo(agent, 'Wrap-up');
    await agent.keyboard.press('Enter');
    await visible(agent.getByRole('combobox', { name: 'Disposition' }));
    await focusIs('Disposition', 'after Wrap-up');
    await noSeriousViolations('the wrap-up form');
    await agent.keyboard.press('ArrowDown');
    await agent.keyboard.press('Tab');
    await focusIs('Summary', 'Tab from Disposition');
    await agent.keyboard.type('New address noted.');
    await agent.keyboard.press('Tab');
    await focusIs('Close conversation', 'Tab from Summary');
    await agent.keyboard.press('Enter');
    await visible(agent.getByRole('status').filter({ hasText: 'Conversation with Ana Lima closed' }));
    await focusIs('Message', 'after Close conversation');
    await visible(agentMessage(agent, 'My parcel is late.'));
  });

  it('past the 24-hour window: the alert appears, and its template picker opens and closes by keyboard', async () => {
    await simulatorApi(relay.base).advanceClock(25 * 3600_000);
    await agent.keyboard.type('Are you still there?');
    await agent.keyboard.press('Enter');
    await visible(agent.getByRole('alert').filter({ hasText: WINDOW_TEXT }));
    await noSeriousViolations('the 24-hour alert');
    await tabTo(agent, 'Choose a template', { backwards: true });
    await agent.keyboard.press('Enter');
    const picker = await visible(agent.getByRole('dialog', { name: 'Choose a template' }));
    await visible(picker.getByRole('radio').first());
    await noSeriousViolations('the template picker outside the window');
    await agent.keyboard.press('Escape');
    await hidden(picker);
    await focusIs('Choose a template', 'after Escape in the picker');
  });
});
