import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createRelayClient } from '../relay/relay-client.js';
import { RELAY, makeConversation, makeMessage, makeTemplate } from '../test/fixtures.js';
import { emptyFake, fakeCrm, relayHandlers, type RelayFake } from '../test/panel-relay-fake.js';
import { devToken, eventsEndpoint, http, HttpResponse, startRelayMock, worker } from '../test/relay-mock.js';
import { deepQueryAll } from '../test/deep-query.js';
import { ignoreResizeObserverLoopErrors } from '../test/resize-observer.js';
import type { WcpPanel } from './wcp-panel.js';
import './wcp-panel.js';

ignoreResizeObserverLoopErrors();

const OPTED_OUT = 'The customer opted out of WhatsApp messages from this number (they sent STOP) or blocked it. Nothing can be sent until they write again; after STOP, until they send START.';
const messageBox = (panel: Element) => deepQueryAll(panel.shadowRoot!, 'textarea[aria-label="Message"]')[0] as HTMLTextAreaElement;
const buttonNamed = (panel: Element, name: string) =>
  deepQueryAll(panel.shadowRoot!, 'button').find((b) => b.textContent!.trim() === name && !b.closest('dialog')) as HTMLButtonElement | undefined;
const dialogButton = (panel: Element, name: string) =>
  deepQueryAll(panel.shadowRoot!, 'dialog button').find((b) => b.textContent!.trim() === name) as HTMLButtonElement | undefined;
const pickerOpen = (panel: Element) => deepQueryAll(panel.shadowRoot!, 'dialog').some((d) => (d as HTMLDialogElement).open && d.textContent!.includes('Choose a template'));
const dialogText = (panel: Element) => deepQueryAll(panel.shadowRoot!, 'dialog')[0]!.textContent!;

describe('wcp-panel composer and relay', () => {
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
    await waitUntil(() => messageBox(panel!), 'conversation shown');
    return { panel, events };
  }

  it('tells the relay the agent is typing once, however much they type', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    const { panel } = await mount(fake);
    messageBox(panel).focus();
    await sendKeys({ type: 'Let me check that for you' });
    await waitUntil(() => fake.typing?.length === 1, 'typing posted');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.typing).to.deep.equal(['conv-1']);
  });

  it("shows the agent's message in the transcript before its POST leaves the page, so the relay's answer cannot come first", async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    const events = eventsEndpoint();
    worker.use(events.handler, ...relayHandlers(fake));
    const rowShown = (body: string) => deepQueryAll(panel!.shadowRoot!, '[data-message-id]').some((row) => row.textContent!.includes(body));
    const onScreenAtPost: boolean[] = [];
    const fetchImpl: typeof fetch = (input, init) => {
      if (init?.method === 'POST' && String(input).endsWith('/messages')) onScreenAtPost.push(rowShown('On my way'));
      return fetch(input, init);
    };
    const relay = createRelayClient({ baseUrl: RELAY, getToken: async () => devToken(), outboxStorage: null, fetchImpl });
    panel = await fixture<WcpPanel>(html`<wcp-panel style="height: 700px" .relay=${relay} .crm=${fakeCrm()}></wcp-panel>`);
    await events.waitForConnections(1);
    await waitUntil(() => messageBox(panel!), 'conversation shown');
    messageBox(panel).focus();
    await sendKeys({ type: 'On my way' });
    buttonNamed(panel, 'Send')!.click();
    await waitUntil(() => fake.posted.length === 1, 'posted');
    expect(onScreenAtPost, 'the row was in the transcript when the POST went out').to.deep.equal([true]);
  });

  it('sends quick-reply buttons under the text', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    const { panel } = await mount(fake);
    messageBox(panel).focus();
    await sendKeys({ type: 'Solved?' });
    buttonNamed(panel, 'Add buttons')!.click();
    await waitUntil(() => deepQueryAll(panel.shadowRoot!, '.reply-button input').length === 1, 'button title shown');
    await sendKeys({ type: 'Yes' });
    buttonNamed(panel, 'Send')!.click();
    await waitUntil(() => fake.posted.length === 1, 'posted');
    expect(fake.posted[0]).to.deep.include({ body: 'Solved?', buttons: [{ id: 'button-1', title: 'Yes' }] });
  });

  it('shows the opt-out notice when the relay refuses a send with 422 opted_out, and keeps the draft', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    fake.refuseSendWith = { status: 422, error: 'opted_out', message: 'The customer opted out.' };
    const { panel } = await mount(fake);
    messageBox(panel).focus();
    await sendKeys({ type: 'Are you there?' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepQueryAll(panel.shadowRoot!, '.opted-out').some((p) => p.textContent === OPTED_OUT && !p.closest('dialog')), 'notice shown');
    expect(messageBox(panel).disabled).to.equal(true);
    expect(messageBox(panel).value).to.equal('Are you there?');
    expect(buttonNamed(panel, 'Send')!.disabled).to.equal(true);
    await expect(panel).to.be.accessible();
  });

  it('opens a conversation that has opted out with everything disabled, and lets sends again when START arrives', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation({ optedOut: true })];
    fake.messages['conv-1'] = [makeMessage({ body: 'STOP' })];
    const { panel, events } = await mount(fake);
    expect(messageBox(panel).disabled).to.equal(true);
    expect(buttonNamed(panel, 'Send template')!.disabled).to.equal(true);
    events.latest.send({ id: '5', type: 'state', data: { conversationId: 'conv-1', conversation: makeConversation({ optedOut: false }) } });
    await waitUntil(() => !messageBox(panel).disabled, 'composer enabled again');
    expect(deepQueryAll(panel.shadowRoot!, '.opted-out')).to.have.length(0);
  });

  it('says plainly when templates are unavailable and when the list may be out of date', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    const { panel } = await mount(fake);
    worker.use(http.get(`${RELAY}/api/v1/templates`, () => HttpResponse.json({ error: 'templates_unavailable', message: 'Twilio Content API: 503' }, { status: 502 })));
    buttonNamed(panel, 'Send template')!.click();
    await waitUntil(() => dialogText(panel).includes('Templates cannot be loaded right now because Twilio is not answering. Try again in a few minutes.'), 'plain message');
    dialogButton(panel, 'Cancel')!.click();

    worker.use(
      http.get(`${RELAY}/api/v1/templates`, () =>
        HttpResponse.json({ items: [makeTemplate({ category: 'utility', status: 'approved' })], stale: true }),
      ),
    );
    buttonNamed(panel, 'Send template')!.click();
    await waitUntil(() => dialogText(panel).includes('Template list may be out of date'), 'stale warning');
    expect(dialogText(panel)).to.contain('Utility');
    expect(dialogText(panel)).to.contain('Free: WhatsApp does not charge for this Utility template here');
    await expect(panel).to.be.accessible();
  });

  it('shows a template WhatsApp approved since the picker was last opened (the relay list is re-read)', async () => {
    const fake: RelayFake = emptyFake();
    fake.conversations = [makeConversation()];
    let status = 'pending';
    let reads = 0;
    const events = eventsEndpoint();
    worker.use(
      events.handler,
      http.get(`${RELAY}/api/v1/templates`, () => {
        reads++;
        return HttpResponse.json({ items: [makeTemplate({ body: 'Your parcel is on its way.', variables: [], category: 'utility', status })], stale: false });
      }),
      ...relayHandlers(fake),
    );
    const relay = createRelayClient({ baseUrl: RELAY, getToken: async () => devToken(), outboxStorage: null, backoff: { baseMs: 10, maxMs: 40 } });
    panel = await fixture<WcpPanel>(html`<wcp-panel style="height: 700px" .relay=${relay} .crm=${fakeCrm()}></wcp-panel>`);
    await events.waitForConnections(1);
    await waitUntil(() => messageBox(panel!), 'conversation shown');

    buttonNamed(panel, 'Send template')!.click();
    await waitUntil(() => reads === 1 && pickerOpen(panel!) && dialogButton(panel!, 'Send'), 'picker with the pending template');
    expect(dialogButton(panel, 'Send')!.disabled, 'a pending template cannot be sent').to.equal(true);
    dialogButton(panel, 'Cancel')!.click();
    await waitUntil(() => !pickerOpen(panel!), 'picker closed');

    // Later that day WhatsApp approves it; the relay's list says so.
    status = 'approved';
    buttonNamed(panel, 'Send template')!.click();
    await waitUntil(() => pickerOpen(panel!), 'picker open again');
    await waitUntil(() => reads === 2, 'the list read again');
    await waitUntil(() => dialogButton(panel!, 'Send')!.disabled === false, 'the approved template can be sent now');
  });

  it('shows a named progress bar while the attachment uploads, then sends it', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    const { panel } = await mount(fake);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    worker.use(
      http.post(`${RELAY}/api/v1/media`, async () => {
        await held;
        return HttpResponse.json({ id: 'ME1', contentType: 'image/png', size: 10, filename: 'photo.png' }, { status: 201 });
      }),
    );
    const input = deepQueryAll(panel.shadowRoot!, 'input[type="file"]')[0] as HTMLInputElement;
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(10)], 'photo.png', { type: 'image/png' }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    await waitUntil(() => !buttonNamed(panel, 'Send')!.disabled, 'attachment staged');
    buttonNamed(panel, 'Send')!.click();
    await waitUntil(() => deepQueryAll(panel.shadowRoot!, 'progress[aria-label="Uploading photo.png"]').length === 1, 'progress bar shown');
    await expect(panel).to.be.accessible();
    release();
    await waitUntil(() => fake.posted.length === 1, 'sent with the media');
    expect(fake.posted[0]!.mediaId).to.equal('ME1');
    expect(deepQueryAll(panel.shadowRoot!, 'progress')).to.have.length(0);
  });

  it('shows the opt-out notice in the template picker when the relay refuses a template with 422 opted_out', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    fake.refuseSendWith = { status: 422, error: 'opted_out', message: 'The customer opted out.' };
    const { panel } = await mount(fake);
    const template = makeTemplate({ body: 'Your parcel is on its way.', variables: [], category: 'utility', status: 'approved' });
    worker.use(http.get(`${RELAY}/api/v1/templates`, () => HttpResponse.json({ items: [template], stale: false })));
    buttonNamed(panel, 'Send template')!.click();
    await waitUntil(() => dialogButton(panel, 'Send') && !dialogButton(panel, 'Send')!.disabled, 'template ready');
    dialogButton(panel, 'Send')!.click();
    await waitUntil(() => dialogText(panel).includes(OPTED_OUT), 'notice in the picker');
    expect(fake.posted[0]!.template!.contentSid).to.equal(template.contentSid);
    expect(dialogButton(panel, 'Send')!.disabled).to.equal(true);
    expect(deepQueryAll(panel.shadowRoot!, 'dialog [role="alert"]')).to.have.length(0);
    await expect(panel).to.be.accessible();
  });
});
