import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createRelayClient, type RelayClient } from '../relay/relay-client.js';
import { RELAY, makeConversation, makeMessage, makeOffer } from '../test/fixtures.js';
import { emptyFake, fakeCrm, relayHandlers, type RelayFake } from '../test/panel-relay-fake.js';
import { devToken, eventsEndpoint, startRelayMock, worker } from '../test/relay-mock.js';
import { deepQueryAll, sessionTabs } from '../test/deep-query.js';
import { ignoreResizeObserverLoopErrors } from '../test/resize-observer.js';
import type { WcpPanel } from './wcp-panel.js';
import './wcp-panel.js';

ignoreResizeObserverLoopErrors();

const EXPIRED = 'This conversation has exceeded the 24 hour limit to respond to the customer.';

const byText = (root: Element, selector: string, text: string) =>
  deepQueryAll(root.shadowRoot!, selector).find((el) => el.textContent!.trim() === text) as HTMLElement | undefined;
const messageBox = (panel: Element) => deepQueryAll(panel.shadowRoot!, 'textarea[aria-label="Message"]')[0] as HTMLTextAreaElement;
const rowFor = (panel: Element, body: string) =>
  deepQueryAll(panel.shadowRoot!, '.row').find((row) => row.querySelector('.body')?.textContent === body);

describe('wcp-panel', () => {
  let relay: RelayClient;
  let panel: WcpPanel | undefined;
  before(startRelayMock);
  afterEach(() => {
    panel?.disconnect();
    worker.resetHandlers();
  });

  async function mount(fake: RelayFake, crm = fakeCrm(), phone = '') {
    const events = eventsEndpoint();
    worker.use(events.handler, ...relayHandlers(fake));
    relay = createRelayClient({ baseUrl: RELAY, getToken: async () => devToken(), outboxStorage: null, backoff: { baseMs: 10, maxMs: 40 } });
    panel = await fixture<WcpPanel>(html`<wcp-panel style="height: 700px" .relay=${relay} .crm=${crm} .phone=${phone}></wcp-panel>`);
    await events.waitForConnections(1);
    await waitUntil(() => deepQueryAll(panel!.shadowRoot!, 'select').length > 0, 'agent loaded');
    return { panel, events };
  }


  it('notifies an incoming conversation from an authenticated customer and opens it on Accept', async () => {
    const fake = emptyFake();
    const { panel, events } = await mount(fake, fakeCrm({ '+14155550100': 'Ana García' }));
    const offer = makeOffer({ id: 'conv-9' });
    const first = makeMessage({ id: 'first', conversationId: 'conv-9', body: 'My router is broken' });
    fake.messages['conv-9'] = [first];
    events.latest.send({ id: '1', type: 'offer', data: { conversationId: 'conv-9', conversation: offer, firstMessage: first } });

    await waitUntil(() => deepQueryAll(panel.shadowRoot!, '[role="alertdialog"]').length === 1, 'notification shown');
    const dialog = deepQueryAll(panel.shadowRoot!, '[role="alertdialog"]')[0]!;
    expect(dialog.getAttribute('aria-label')).to.equal('Incoming WhatsApp conversation');
    await waitUntil(() => dialog.textContent!.includes('Ana García'), 'CRM name shown');
    expect(dialog.textContent).to.contain('Authenticated');
    expect(dialog.textContent).to.contain('My router is broken');
    await expect(panel).to.be.accessible();

    byText(panel, 'button', 'Accept')!.click();
    await waitUntil(() => fake.accepted.length === 1 && deepQueryAll(panel.shadowRoot!, '[role="alertdialog"]').length === 0, 'accepted');
    expect(fake.accepted).to.deep.equal(['conv-9']);
    await waitUntil(() => rowFor(panel, 'My router is broken'), 'transcript loaded');
    const tabs = sessionTabs(panel);
    expect(tabs).to.have.length(1);
    expect(tabs[0]!.textContent).to.contain('Ana García');
    expect(deepQueryAll(panel.shadowRoot!, '[role="log"]')[0]!.getAttribute('aria-label')).to.equal('Conversation transcript');
    await expect(panel).to.be.accessible();
  });

  it('an offer pending when the panel opens (form opened, page reloaded) shows the customer’s message and who transferred it', async () => {
    const fake = emptyFake();
    const transfer = { fromAgentId: 'agent-2', fromAgentName: 'Alex Morgan', note: 'Billing question' };
    fake.conversations = [makeOffer({ id: 'conv-9', transfer })];
    fake.messages['conv-9'] = [
      makeMessage({ id: 'first', conversationId: 'conv-9', body: 'My router is broken' }),
      makeMessage({ id: 'reply', conversationId: 'conv-9', direction: 'outbound', body: 'Let me pass you to billing', agentId: 'agent-2' }),
    ];
    const { panel } = await mount(fake);
    await waitUntil(() => deepQueryAll(panel.shadowRoot!, '[role="alertdialog"]').length === 1, 'offer listed on load');
    const dialog = deepQueryAll(panel.shadowRoot!, '[role="alertdialog"]')[0]!;
    await waitUntil(() => dialog.querySelector('.first-message')?.textContent!.trim() === 'My router is broken', 'the customer’s newest message on the card');
    expect(dialog.querySelector('.transferred-by')?.textContent!.trim()).to.equal('Transferred by Alex Morgan');
    expect(dialog.textContent).to.contain('Billing question');
  });

  it('rejects an offer', async () => {
    const fake = emptyFake();
    fake.conversations = [makeOffer({ id: 'conv-5' })];
    const { panel } = await mount(fake);
    await waitUntil(() => byText(panel, 'button', 'Reject'), 'offer listed on load');
    byText(panel, 'button', 'Reject')!.click();
    await waitUntil(() => deepQueryAll(panel.shadowRoot!, '[role="alertdialog"]').length === 0, 'offer gone');
    expect(fake.rejected).to.deep.equal(['conv-5']);
    await expect(panel).to.be.accessible();
  });

  it('sends a typed message with a clientId and shows its delivery status', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    fake.messages['conv-1'] = [makeMessage({ body: 'Hello?' })];
    const { panel, events } = await mount(fake);
    await waitUntil(() => rowFor(panel, 'Hello?'), 'transcript shown');
    messageBox(panel).focus();
    await sendKeys({ type: 'Hi Ana, how can I help?' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.posted.length === 1, 'message posted');
    expect(fake.posted[0]!.body).to.equal('Hi Ana, how can I help?');
    expect(fake.posted[0]!.clientId).to.be.a('string');
    await waitUntil(() => messageBox(panel).value === '', 'draft cleared');
    await waitUntil(() => rowFor(panel, 'Hi Ana, how can I help?')?.querySelector('[role="img"][title="Sending"]'), 'queued status');

    const sentId = rowFor(panel, 'Hi Ana, how can I help?')!.getAttribute('data-message-id')!;
    events.latest.send({ id: '2', type: 'status', data: { conversationId: 'conv-1', messageId: sentId, status: 'delivered', errorCode: null, errorMessage: null } });
    await waitUntil(() => rowFor(panel, 'Hi Ana, how can I help?')?.querySelector('[role="img"][title="Delivered"]'), 'delivered tick');
    await expect(panel).to.be.accessible();
  });

  it('keeps the Sent tick when the POST answer (queued) arrives after the sent status event', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    fake.messages['conv-1'] = [makeMessage({ body: 'Hello?' })];
    let releaseAnswer = () => {};
    fake.holdSendUntil = new Promise((resolve) => (releaseAnswer = resolve));
    fake.sentMessageId = 'out-1';
    const { panel, events } = await mount(fake);
    await waitUntil(() => rowFor(panel, 'Hello?'), 'transcript shown');
    messageBox(panel).focus();
    await sendKeys({ type: 'Quick one' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.posted.length === 1, 'message posted');

    // The relay's stream is faster than the POST's answer: the message, then its `sent` status.
    const stored = makeMessage({ id: 'out-1', conversationId: 'conv-1', direction: 'outbound', body: 'Quick one', status: 'queued', createdAt: new Date().toISOString() });
    events.latest.send({ id: '2', type: 'message', data: { conversationId: 'conv-1', message: stored } });
    events.latest.send({ id: '3', type: 'status', data: { conversationId: 'conv-1', messageId: 'out-1', status: 'sent', errorCode: null, errorMessage: null } });
    await waitUntil(() => rowFor(panel, 'Quick one')?.querySelector('[role="img"][title="Sent"]'), 'sent tick');

    releaseAnswer();
    await waitUntil(() => fake.answered === 1, 'POST answered');
    for (let i = 0; i < 10; i += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
    const rows = deepQueryAll(panel.shadowRoot!, '.row').filter((row) => row.querySelector('.body')?.textContent === 'Quick one');
    expect(rows).to.have.length(1);
    expect(rows[0]!.querySelector('[role="img"][title="Sent"]')).to.not.equal(null);
    expect(rows[0]!.querySelector('[role="img"][title="Sending"]')).to.equal(null);
  });

  it("shows the agent's send in view in the frame of the click, before the relay answers, and as one row after", async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    const start = Date.now() - 200 * 60_000;
    fake.messages['conv-1'] = Array.from({ length: 200 }, (_, i) =>
      makeMessage({ id: `h-${i}`, body: `History ${i}`, direction: i % 3 ? 'inbound' : 'outbound', createdAt: new Date(start + i * 60_000).toISOString() }),
    );
    let releaseAnswer = () => {};
    fake.holdSendUntil = new Promise((resolve) => (releaseAnswer = resolve));
    fake.sentMessageId = 'out-1';
    const { panel } = await mount(fake);
    const inView = (row: Element | undefined) => {
      if (!row) return false;
      const box = row.getBoundingClientRect();
      const view = deepQueryAll(panel.shadowRoot!, '[role="log"]')[0]!.getBoundingClientRect();
      return box.height > 0 && box.top < view.bottom && box.bottom > view.top;
    };
    await waitUntil(() => inView(rowFor(panel, 'History 199')), 'newest message in view');
    await new Promise((resolve) => setTimeout(resolve, 300));
    messageBox(panel).focus();
    await sendKeys({ type: 'On its way' });
    await waitUntil(() => byText(panel, 'button', 'Send') && !byText(panel, 'button', 'Send')!.hasAttribute('disabled'), 'Send enabled');

    // The next frame after the click: its animation callbacks run with everything the click did
    // (and all its microtasks) already in the DOM; what is in view then is what that frame paints.
    const firstFrame = new Promise<string>((resolve) =>
      requestAnimationFrame(() => {
        const row = rowFor(panel, 'On its way');
        resolve(!row ? 'absent' : inView(row) ? 'in view' : 'out of view');
      }),
    );
    byText(panel, 'button', 'Send')!.click();
    expect(await firstFrame).to.equal('in view');
    expect(fake.answered ?? 0, 'the relay has not answered yet').to.equal(0);

    releaseAnswer();
    await waitUntil(() => fake.answered === 1 && rowFor(panel, 'On its way')?.getAttribute('data-message-id') === 'out-1', 'the relay has it');
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
    const rows = deepQueryAll(panel.shadowRoot!, '.row').filter((row) => row.querySelector('.body')?.textContent === 'On its way');
    expect(rows, 'one row once the relay has it').to.have.length(1);
    expect(inView(rows[0]), 'still in view').to.equal(true);
  });

  it('counts unread messages on other tabs', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation(), makeConversation({ id: 'conv-2', customer: { phone: '+14155550111', profileName: 'Bo', waId: null } })];
    const { panel, events } = await mount(fake);
    await waitUntil(() => sessionTabs(panel).length === 2, 'two tabs');
    events.latest.send({ id: '3', type: 'message', data: { conversationId: 'conv-2', message: makeMessage({ conversationId: 'conv-2', body: 'Anyone?' }) } });
    await waitUntil(() => sessionTabs(panel)[1]!.textContent!.includes('1 unread'), 'unread badge');
    await expect(panel).to.be.accessible();
  });

  it('tells a screen reader when a customer writes in a conversation in the background, once per message', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation(), makeConversation({ id: 'conv-2', customer: { phone: '+14155550111', profileName: 'Bo', waId: null } })];
    const { panel, events } = await mount(fake);
    await waitUntil(() => sessionTabs(panel).length === 2, 'two tabs');
    const said = () => panel.shadowRoot!.querySelector('[aria-live="polite"][aria-atomic="true"]')?.textContent?.trim() ?? '';
    expect(said()).to.equal('');
    events.latest.send({ id: '3', type: 'message', data: { conversationId: 'conv-2', message: makeMessage({ id: 'b1', conversationId: 'conv-2', body: 'Anyone?' }) } });
    await waitUntil(() => said() === 'New message from Bo (1 unread).', `said: "${said()}"`);
    events.latest.send({ id: '4', type: 'message', data: { conversationId: 'conv-2', message: makeMessage({ id: 'b2', conversationId: 'conv-2', body: 'Hello??' }) } });
    await waitUntil(() => said() === 'New message from Bo (2 unread).', `said: "${said()}"`);
  });

  it('outside the window keeps the draft, shows the exact alert and sends a template instead', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation({ windowExpiresAt: new Date(Date.now() - 60_000).toISOString() })];
    const { panel } = await mount(fake, fakeCrm({ '+14155550100': 'Ana García' }));
    await waitUntil(() => messageBox(panel), 'composer shown');
    messageBox(panel).focus();
    await sendKeys({ type: 'Are you still there?' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepQueryAll(panel.shadowRoot!, '[role="alert"]').length > 0, 'alert shown');
    expect(deepQueryAll(panel.shadowRoot!, '[role="alert"]')[0]!.textContent).to.equal(EXPIRED);
    expect(messageBox(panel).value).to.equal('Are you still there?');
    expect(fake.posted).to.have.length(0);
    await expect(panel).to.be.accessible();

    byText(panel, 'button', 'Choose a template')!.click();
    await waitUntil(() => deepQueryAll(panel.shadowRoot!, '.preview').length === 1, 'template preview');
    expect(deepQueryAll(panel.shadowRoot!, '.preview')[0]!.textContent).to.equal('Hello Ana García, this is Dana Agent about case CAS-42.');
    const dialog = deepQueryAll(panel.shadowRoot!, 'dialog')[0]!;
    [...dialog.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Send')!.click();
    await waitUntil(() => fake.posted.length === 1, 'template posted');
    expect(fake.posted[0]!.template).to.deep.equal({ contentSid: 'HX0123456789abcdef0123456789abcdef', variables: { 1: 'Ana García', 2: 'Dana Agent', 3: 'CAS-42' } });
    expect(fake.posted[0]!.body).to.equal(undefined);
    await waitUntil(() => !(dialog as HTMLDialogElement).open, 'picker closed');
    // The window is still closed (only the customer re-opens it): the exact text stays.
    expect(deepQueryAll(panel.shadowRoot!, '[role="alert"]').map((a) => a.textContent)).to.deep.equal([EXPIRED]);
    await expect(panel).to.be.accessible();
  });

  it('shows the alert and restores the draft when the relay refuses with window_expired', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    fake.refuseSendWith = { status: 422, error: 'window_expired', message: EXPIRED };
    const { panel } = await mount(fake);
    await waitUntil(() => messageBox(panel), 'composer shown');
    messageBox(panel).focus();
    await sendKeys({ type: 'Late reply' });
    // The panel's clock still sees an open window; the relay's does not.
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.posted.length === 1, 'send attempted');
    await waitUntil(() => deepQueryAll(panel.shadowRoot!, '[role="alert"]').some((a) => a.textContent === EXPIRED), 'alert shown');
    expect(messageBox(panel).value).to.equal('Late reply');
    await expect(panel).to.be.accessible();
  });

  it('loads media with the token and shows images from blob: URLs', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    fake.messages['conv-1'] = [
      makeMessage({ body: 'photo', media: [{ id: 'ME1', contentType: 'image/png', url: '/api/v1/media/ME1', filename: 'router.png', size: 4 }] }),
    ];
    const { panel } = await mount(fake);
    await waitUntil(() => deepQueryAll(panel.shadowRoot!, 'img[alt="router.png"]').length === 1, 'image shown');
    expect(deepQueryAll(panel.shadowRoot!, 'img')[0]!.getAttribute('src')).to.match(/^blob:/);
    await expect(panel).to.be.accessible();
  });

  it("offers to load a customer's photo again after a failed load, and shows it then", async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    fake.messages['conv-1'] = [
      makeMessage({ body: 'photo', media: [{ id: 'ME1', contentType: 'image/png', url: '/api/v1/media/ME1', filename: 'router.png', size: 4 }] }),
    ];
    fake.failMedia = 1; // Twilio could not be reached the first time
    const { panel } = await mount(fake);
    await waitUntil(() => byText(panel, 'button', 'Try again'), 'the failure offers to try again');
    expect(deepQueryAll(panel.shadowRoot!, '.media.placeholder')[0]!.textContent).to.contain('router.png could not be loaded.');
    await expect(panel).to.be.accessible();
    byText(panel, 'button', 'Try again')!.click();
    await waitUntil(() => deepQueryAll(panel.shadowRoot!, 'img[alt="router.png"]').length === 1, 'the photo shows after trying again');
    expect(byText(panel, 'button', 'Try again')).to.equal(undefined);
  });

  it('changes presence and conversation state through the relay', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    const { panel } = await mount(fake);
    const select = deepQueryAll(panel.shadowRoot!, 'select')[0] as HTMLSelectElement;
    expect(select.labels![0]!.textContent).to.equal('Presence');
    select.value = 'busy';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => fake.presence.length === 1);
    expect(fake.presence).to.deep.equal(['busy']);
    // The select shows what the relay confirmed (it is not left on its old option).
    await waitUntil(() => select.value === 'busy', 'select shows the new presence');
    await waitUntil(() => byText(panel, 'button', 'Waiting'));
    byText(panel, 'button', 'Waiting')!.click();
    await waitUntil(() => fake.states.length === 1);
    expect(fake.states).to.deep.equal(['waiting']);
    await waitUntil(() => byText(panel, 'button', 'Waiting')!.getAttribute('aria-pressed') === 'true');
    await expect(panel).to.be.accessible();
  });

  it('with no conversation, tells an agent whose presence takes no offers why none come, and how to get them', async () => {
    const { panel, events } = await mount(emptyFake());
    const empty = () => panel.shadowRoot!.querySelector('.empty')?.textContent;
    await waitUntil(() => empty() === 'No active conversations. New WhatsApp conversations appear here.', 'Available: the plain empty state');
    const select = deepQueryAll(panel.shadowRoot!, 'select')[0] as HTMLSelectElement;
    select.value = 'offline';
    select.dispatchEvent(new Event('change'));
    await waitUntil(
      () => empty() === 'You are Offline: no new conversations are offered to you. Choose Available under Presence to receive them.',
      'Offline: told why nothing is offered',
    );
    await expect(panel).to.be.accessible();
    // Changed elsewhere (another tab of the agent's): the relay's presence event.
    events.latest.send({ id: '1', type: 'presence', data: { agentId: 'agent-1', presence: 'busy' } });
    await waitUntil(() => empty() === 'No active conversations. New WhatsApp conversations appear here.', 'Busy still takes offers');
  });

  it('selects the conversation of the form phone and closes the stream on disconnect()', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation(), makeConversation({ id: 'conv-2', customer: { phone: '+14155550111', profileName: 'Bo', waId: null } })];
    const { panel, events } = await mount(fake, fakeCrm(), '+1 (415) 555-0111');
    await waitUntil(() => sessionTabs(panel).find((t) => t.getAttribute('aria-selected') === 'true')?.textContent!.includes('Bo'), 'form customer selected');
    panel.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.connections).to.have.length(1);
    await expect(panel).to.be.accessible();
  });
});
