/** Team work in the whole panel: Transfer and Consult from the conversation header, the consultant's read-only view, queue counts. */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Conversation } from '@wcp/protocol';
import { createRelayClient } from '../relay/relay-client.js';
import { RELAY, makeConversation, makeMessage } from '../test/fixtures.js';
import { emptyFake, fakeCrm, relayHandlers, type RelayFake } from '../test/panel-relay-fake.js';
import { devToken, eventsEndpoint, startRelayMock, worker } from '../test/relay-mock.js';
import { deepQueryAll, sessionTabs } from '../test/deep-query.js';
import { ignoreResizeObserverLoopErrors } from '../test/resize-observer.js';
import { formatTimeOrDateTime } from '../lib/time.js';
import type { WcpPanel } from './wcp-panel.js';
import './wcp-panel.js';

ignoreResizeObserverLoopErrors();

const all = (panel: Element, selector: string) => deepQueryAll(panel.shadowRoot!, selector) as HTMLElement[];
const buttonNamed = (panel: Element, name: string) => all(panel, 'button').find((b) => b.textContent!.trim() === name) as HTMLButtonElement | undefined;
const openDialog = (panel: Element, title: string) =>
  all(panel, 'dialog').find((d) => (d as HTMLDialogElement).open && d.querySelector('h2')?.textContent === title) as HTMLDialogElement | undefined;
/** The focused element, through shadow roots. */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('wcp-panel team work', function () {
  // Keyboard-only flows go key by key through the test runner: slow on a busy machine.
  this.timeout(30_000);
  let panel: WcpPanel | undefined;
  before(startRelayMock);
  afterEach(() => {
    panel?.disconnect();
    worker.resetHandlers();
  });

  async function mount(fake: RelayFake) {
    const events = eventsEndpoint();
    worker.use(events.handler, ...relayHandlers(fake));
    const relay = createRelayClient({ baseUrl: RELAY, getToken: async () => devToken(), outboxStorage: null, backoff: { baseMs: 10, maxMs: 40 } });
    panel = await fixture<WcpPanel>(html`<wcp-panel style="height: 700px" .relay=${relay} .crm=${fakeCrm()}></wcp-panel>`);
    await events.waitForConnections(1);
    await waitUntil(() => all(panel!, 'select').length > 0, 'agent loaded');
    return { panel, events };
  }

  function teamFake(conversations: Conversation[]): RelayFake {
    const fake = emptyFake();
    fake.conversations = conversations;
    fake.messages['conv-1'] = [makeMessage({ body: 'Where is my refund?' })];
    fake.colleagues = [
      { id: 'agent-1', name: 'Dana Agent', presence: 'available', available: true },
      { id: 'agent-2', name: 'Alex Morgan', presence: 'available', available: true },
      { id: 'agent-3', name: 'Sam Ortiz', presence: 'offline', available: false },
    ];
    fake.queues = [{ id: 'general', name: 'General', numbers: [], agentIds: ['agent-1', 'agent-2'], waiting: 1, longestWaitSince: null }];
    return fake;
  }

  it('transfers the conversation to a colleague with a note, by keyboard; it leaves the agent’s tabs', async () => {
    const fake = teamFake([makeConversation(), makeConversation({ id: 'conv-2', customer: { phone: '+14155550111', profileName: 'Bo', waId: null } })]);
    const { panel } = await mount(fake);
    await waitUntil(() => buttonNamed(panel, 'Transfer'), 'Transfer in the header');
    buttonNamed(panel, 'Transfer')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => openDialog(panel, 'Transfer conversation'), 'dialog open');
    const dialog = openDialog(panel, 'Transfer conversation')!;
    const target = dialog.querySelector('select')!;
    await waitUntil(() => target.options.length === 4, 'colleagues and queues listed');
    // The agent itself is not a choice; the offline colleague cannot be chosen.
    expect([...target.options].map((o) => o.textContent!.trim())).to.deep.equal([
      'Choose an agent or a queue…',
      'Alex Morgan',
      'Sam Ortiz (Offline: cannot take a conversation now)',
      'General (1 waiting)',
    ]);
    await waitUntil(() => focused() === target, 'focus on the target');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Refund over 500' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });

    await waitUntil(() => fake.transfers?.length === 1, 'transfer posted');
    expect(fake.transfers![0]).to.deep.equal({ conversationId: 'conv-1', request: { agentId: 'agent-2', note: 'Refund over 500' } });
    await waitUntil(() => !openDialog(panel, 'Transfer conversation'), 'dialog closed');
    await waitUntil(() => sessionTabs(panel).length === 1, 'the conversation left the tabs');
    expect(sessionTabs(panel)[0]!.textContent).to.contain('Bo');
    // The Transfer button went with the conversation; the keyboard carries on in the next one.
    await waitUntil(() => focused()?.getAttribute('aria-label') === 'Message', 'focus in the next conversation’s composer');
    await expect(panel).to.be.accessible();
  });

  it('offers every queue as a transfer target, not only the agent’s own', async () => {
    const fake = teamFake([makeConversation()]);
    fake.allQueues = [...fake.queues!, { id: 'vip', name: 'VIP', numbers: [], agentIds: ['agent-2'], waiting: 0, longestWaitSince: null }];
    const { panel } = await mount(fake);
    await waitUntil(() => buttonNamed(panel, 'Transfer'), 'Transfer in the header');
    buttonNamed(panel, 'Transfer')!.click();
    const target = () => openDialog(panel, 'Transfer conversation')?.querySelector('select');
    await waitUntil(() => target()?.options.length === 5, 'every queue listed');
    const vip = [...target()!.options].find((o) => o.textContent!.trim() === 'VIP (0 waiting)')!;
    target()!.value = vip.value;
    target()!.dispatchEvent(new Event('change', { bubbles: true }));
    const submit = openDialog(panel, 'Transfer conversation')!.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    await waitUntil(() => !submit.disabled, 'Transfer enabled');
    submit.click();
    await waitUntil(() => fake.transfers?.length === 1, 'transferred');
    expect(fake.transfers![0]!.request).to.deep.include({ queueId: 'vip' });
    // The agent's own queues stay as they were: VIP is not theirs.
    expect(all(panel, 'ul[aria-label="Your queues"]')[0]!.textContent).not.to.contain('VIP');
  });

  it('transferring the only conversation by keyboard leaves focus in the panel, on presence, not on the page', async () => {
    const fake = teamFake([makeConversation()]);
    const { panel } = await mount(fake);
    await waitUntil(() => buttonNamed(panel, 'Transfer'), 'Transfer in the header');
    buttonNamed(panel, 'Transfer')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => openDialog(panel, 'Transfer conversation')?.querySelector('select')!.options.length === 4, 'colleagues and queues listed');
    await waitUntil(() => focused()?.tagName === 'SELECT', 'focus on the target');
    await sendKeys({ press: 'ArrowDown' });
    const submit = openDialog(panel, 'Transfer conversation')!.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    await waitUntil(() => !submit.disabled, 'Transfer enabled');
    submit.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.transfers?.length === 1 && sessionTabs(panel).length === 0, 'transferred, no conversation left');
    await panel.updateComplete;
    const inPresence = () => (focused()?.getRootNode() as ShadowRoot | undefined)?.host?.tagName === 'WCP-PRESENCE';
    await waitUntil(inPresence, 'focus on presence');
    expect(focused()?.tagName).to.equal('SELECT');
  });

  it('shows the relay’s 409 in the dialog in plain words and keeps the conversation', async () => {
    const fake = teamFake([makeConversation()]);
    fake.refuseTransferWith = { status: 409, error: 'agent_unavailable', message: 'Alex Morgan is not taking conversations now.' };
    const { panel } = await mount(fake);
    await waitUntil(() => buttonNamed(panel, 'Transfer'), 'Transfer in the header');
    buttonNamed(panel, 'Transfer')!.click();
    await waitUntil(() => openDialog(panel, 'Transfer conversation'), 'dialog open');
    const dialog = openDialog(panel, 'Transfer conversation')!;
    const target = dialog.querySelector('select')!;
    await waitUntil(() => target.options.length === 4, 'colleagues and queues listed');
    target.value = 'agent:agent-2';
    target.dispatchEvent(new Event('change'));
    const transfer = dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    await waitUntil(() => !transfer.disabled, 'Transfer enabled');
    transfer.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialog.querySelector('[role="alert"]'), 'refusal shown');
    expect(dialog.querySelector('[role="alert"]')!.textContent).to.equal(
      'That agent is offline or cannot take another conversation now. Choose someone else or a queue.',
    );
    expect(dialog.open).to.equal(true);
    // The button, disabled while the relay answered, dropped the focus: it is back on the choice.
    await waitUntil(() => focused() === target, 'focus back on "Transfer to", not on the page');
    expect(sessionTabs(panel).length).to.equal(1);
    await expect(panel).to.be.accessible();
  });

  it('consults a colleague: the holder sees who is consulting and ends it', async () => {
    const fake = teamFake([makeConversation()]);
    const { panel } = await mount(fake);
    await waitUntil(() => buttonNamed(panel, 'Consult'), 'Consult in the header');
    buttonNamed(panel, 'Consult')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => openDialog(panel, 'Consult an agent'), 'dialog open');
    await waitUntil(() => openDialog(panel, 'Consult an agent')!.querySelector('select')!.options.length === 3, 'colleagues listed');
    await waitUntil(() => focused()?.tagName === 'SELECT', 'focus on the agent choice');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.consults?.length === 1, 'consult posted');
    expect(fake.consults![0]).to.deep.equal({ conversationId: 'conv-1', agentId: 'agent-2' });
    await waitUntil(() => !openDialog(panel, 'Consult an agent'), 'dialog closed');
    await waitUntil(() => all(panel, '.consultants')[0]?.textContent === 'In consult with Alex Morgan', 'holder sees who');
    await expect(panel).to.be.accessible();

    buttonNamed(panel, 'End consult')!.click();
    await waitUntil(() => fake.endedConsults?.length === 1 && all(panel, '.consultants').length === 0, 'consult ended');
    expect(sessionTabs(panel).length).to.equal(1);
  });

  it('shows a consult to the consultant read-only: transcript and notes, no composer, a Consulting marker, End consult', async () => {
    const fake = teamFake([]);
    const { panel, events } = await mount(fake);
    const consulted = makeConversation({ assignedAgentId: 'agent-2', consultants: ['agent-1'] });
    fake.conversations = [consulted];
    events.latest.send({ id: '1', type: 'consult', data: { conversationId: 'conv-1', conversation: consulted, ended: false } });
    await waitUntil(() => all(panel, '.row .body').some((b) => b.textContent === 'Where is my refund?'), 'transcript shown');
    expect(sessionTabs(panel)[0]!.textContent).to.contain('Consulting');
    expect(all(panel, '.consulting-marker')[0]!.textContent).to.equal('Consulting');
    // Counts, not elements: chai would print a whole element tree on failure.
    expect(all(panel, 'wcp-composer').length, 'no composer').to.equal(0);
    expect(all(panel, 'textarea[aria-label="Message"]').length, 'no Message box').to.equal(0);
    expect(!!buttonNamed(panel, 'Transfer'), 'no Transfer').to.equal(false);
    expect(all(panel, 'wcp-state-control').length, 'no state buttons').to.equal(0);
    expect(all(panel, 'button.reply').length, 'no Reply on the messages').to.equal(0);
    await waitUntil(() => all(panel, 'wcp-notes').length === 1, 'notes box');
    await expect(panel).to.be.accessible();

    events.latest.send({ id: '2', type: 'consult', data: { conversationId: 'conv-1', conversation: { ...consulted, consultants: [] }, ended: true } });
    await waitUntil(() => sessionTabs(panel).length === 0, 'consult gone');
  });

  it('the consultant’s End consult leaves the consult', async () => {
    const consulted = makeConversation({ assignedAgentId: 'agent-2', consultants: ['agent-1'] });
    const fake = teamFake([consulted]);
    const { panel } = await mount(fake);
    await waitUntil(() => buttonNamed(panel, 'End consult'), 'End consult shown');
    buttonNamed(panel, 'End consult')!.click();
    await waitUntil(() => sessionTabs(panel).length === 0, 'consult left');
    expect(fake.endedConsults).to.deep.equal(['conv-1']);
  });

  it('shows the agent’s queues with how many wait, following `queue` events', async () => {
    const fake = teamFake([]);
    const { panel, events } = await mount(fake);
    const list = () => all(panel, 'ul[aria-label="Your queues"]')[0];
    await waitUntil(() => list()?.textContent?.includes('General: 1 waiting'), 'queue shown');
    events.latest.send({ id: '1', type: 'queue', data: { queueId: 'general', waiting: 3, longestWaitSince: new Date().toISOString() } });
    await waitUntil(() => list()!.textContent!.includes('General: 3 waiting'), 'count followed');
    await expect(panel).to.be.accessible();
  });

  it('reads its queues again when a supervisor changes one it works or worked', async () => {
    const fake = teamFake([]);
    const { panel, events } = await mount(fake);
    const list = () => all(panel, 'ul[aria-label="Your queues"]')[0];
    await waitUntil(() => list()?.textContent?.includes('General: 1 waiting'), 'queue shown');
    // Moved from the default queue into Billing.
    fake.queues = [{ id: 'billing', name: 'Billing', numbers: [], agentIds: ['agent-1'], waiting: 2, longestWaitSince: null }];
    const reads = fake.queueReads;
    // Counts alone are no reason to read the list: the general queue's are followed, as before.
    events.latest.send({ id: '1', type: 'queue', data: { queueId: 'general', waiting: 4, longestWaitSince: null } });
    await waitUntil(() => list()?.textContent?.includes('General: 4 waiting'), 'the counts followed');
    expect(fake.queueReads).to.equal(reads, 'no read for counts');
    events.latest.send({ id: '2', type: 'queue', data: { queueId: 'billing', waiting: 2, longestWaitSince: null, reconfigured: true } });
    await waitUntil(() => list()?.textContent?.includes('Billing: 2 waiting') && !list()!.textContent!.includes('General'), 'the new list');
    expect(fake.queueReads).to.equal(reads! + 1);
  });

  it('says at what time a wrap-up left alone closes by itself, on the relay’s clock, and tells the agent when it did', async () => {
    // Half a minute past a minute, so the few ms between the relay's serverTime and the panel's reading never change the minute shown.
    const endsAt = new Date(Math.floor((Date.now() + 2 * 3600_000) / 60_000) * 60_000 + 30_000);
    const wrapUp = makeConversation({ state: 'wrapup', assignedAgentId: 'agent-1', wrapUpEndsAt: endsAt.toISOString() });
    const { panel, events } = await mount(teamFake([wrapUp]));
    const shownTime = (at: Date) => formatTimeOrDateTime(at.toISOString());
    const sentence = () => all(panel, 'wcp-state-control')[0]?.shadowRoot!.querySelector('form p')?.textContent?.trim();
    await waitUntil(() => sentence() === `Closes by itself at ${shownTime(endsAt)} if you don't close it.`, 'the time on our clock');
    // The relay's clock is 90 minutes ahead (the simulator moved it): it closes 90 minutes sooner by ours.
    const serverTime = new Date(Date.now() + 90 * 60_000).toISOString();
    events.latest.send({ id: '7', type: 'window', data: { conversationId: 'conv-1', windowExpiresAt: wrapUp.windowExpiresAt, serverTime } });
    const sooner = new Date(endsAt.getTime() - 90 * 60_000);
    await waitUntil(() => sentence() === `Closes by itself at ${shownTime(sooner)} if you don't close it.`, 'the time on the relay clock');
    await expect(panel).to.be.accessible();

    events.latest.send({ id: '8', type: 'state', data: { conversationId: 'conv-1', conversation: { ...wrapUp, state: 'closed', disposition: 'auto-closed', wrapUpEndsAt: null } } });
    await waitUntil(() => sessionTabs(panel).length === 0, 'the closed session leaves');
    const notice = all(panel, '.notice[role="alert"]')[0]!;
    expect(notice.textContent).to.contain('The wrap-up of your conversation with');
    expect(notice.textContent).to.contain('closed by itself (auto-closed): it was not closed in time.');
  });
});
