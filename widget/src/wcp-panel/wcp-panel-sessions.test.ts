import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createRelayClient } from '../relay/relay-client.js';
import { deepActiveElement } from '../lib/focus.js';
import { RELAY, makeConversation, makeMessage, makeOffer } from '../test/fixtures.js';
import { emptyFake, fakeCrm, relayHandlers, type RelayFake } from '../test/panel-relay-fake.js';
import { devToken, eventsEndpoint, http, HttpResponse, startRelayMock, worker } from '../test/relay-mock.js';
import { deepQueryAll, sessionTabs } from '../test/deep-query.js';
import { ignoreResizeObserverLoopErrors } from '../test/resize-observer.js';
import { agentScrolls } from '../test/scroll.js';
import { useLocale } from '../i18n/locale.js';
import type { WcpPanel } from './wcp-panel.js';
import type { WcpTransferDialog } from '../wcp-transfer-dialog/wcp-transfer-dialog.js';
import './wcp-panel.js';
import '../wcp-transfer-dialog/wcp-transfer-dialog.js';

ignoreResizeObserverLoopErrors();

const all = (panel: Element, selector: string) => deepQueryAll(panel.shadowRoot!, selector);
/** What the wrap-up form on screen holds. */
const wrapUpForm = (panel: Element) => ({
  disposition: (all(panel, 'select[aria-label="Disposition"]')[0] as HTMLSelectElement).value,
  summary: (all(panel, 'textarea[aria-label="Summary"]')[0] as HTMLTextAreaElement).value,
});
const byText = (panel: Element, selector: string, text: string) =>
  all(panel, selector).find((el) => el.textContent!.trim() === text) as HTMLElement | undefined;

/**
 * What one session leaves behind must not show in another (the template picker's variables, the
 * wrap-up form, a send's error) and stays for coming back (the wrap-up, the place read), focus after an offer is rejected, the transfer note's name, and
 * right-to-left text: a phone number in the Arabic panel, Arabic text in an English one.
 */
describe('the panel across sessions, for keyboard users and in both directions', () => {
  let panel: WcpPanel | undefined;
  before(startRelayMock);
  afterEach(async () => {
    panel?.disconnect();
    worker.resetHandlers();
    await useLocale('en');
  });

  async function mount(fake: RelayFake, locale = 'en') {
    const events = eventsEndpoint();
    worker.use(events.handler, ...relayHandlers(fake));
    const relay = createRelayClient({ baseUrl: RELAY, getToken: async () => devToken(), outboxStorage: null, backoff: { baseMs: 10, maxMs: 40 } });
    panel = await fixture<WcpPanel>(html`<wcp-panel style="height: 700px" .relay=${relay} .crm=${fakeCrm()} locale=${locale}></wcp-panel>`);
    await events.waitForConnections(1);
    await waitUntil(() => all(panel!, 'select').length > 0, 'agent loaded');
    return { panel, events };
  }

  function twoSessions(overrides: Partial<Parameters<typeof makeConversation>[0]> = {}) {
    const fake = emptyFake();
    fake.conversations = [
      makeConversation({ id: 'conv-1', customer: { phone: '+14155550100', profileName: 'Ana WhatsApp', waId: '14155550100' }, ...overrides }),
      makeConversation({ id: 'conv-2', customer: { phone: '+14155550111', profileName: 'Bob WhatsApp', waId: '14155550111' }, ...overrides }),
    ];
    fake.messages['conv-1'] = [makeMessage({ conversationId: 'conv-1', body: 'Hi from Ana' })];
    fake.messages['conv-2'] = [makeMessage({ conversationId: 'conv-2', body: 'Hi from Bob' })];
    return fake;
  }

  it('template picker prefills the customer of the conversation it is opened for (not the previous one)', async () => {
    const { panel } = await mount(twoSessions());
    await waitUntil(() => sessionTabs(panel).length === 2, 'two tabs');
    const picker = all(panel, 'wcp-template-picker')[0]!;
    const firstInput = () => picker.shadowRoot!.querySelector<HTMLInputElement>('input[type="text"]');

    byText(panel, 'button', 'Send template')!.click();
    await waitUntil(() => firstInput()?.value === 'Ana WhatsApp', 'prefilled for Ana');
    [...picker.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Cancel')!.click();
    await waitUntil(() => !picker.shadowRoot!.querySelector('dialog')!.open, 'closed');

    sessionTabs(panel)[1]!.click();
    await waitUntil(() => all(panel, '.row .body').some((b) => b.textContent === 'Hi from Bob'), 'Bob selected');
    byText(panel, 'button', 'Send template')!.click();
    await waitUntil(() => picker.shadowRoot!.querySelector('dialog')!.open, 'open again');
    await new Promise((r) => setTimeout(r, 200));
    expect(firstInput()!.value, 'Customer name variable for Bob’s conversation').to.equal('Bob WhatsApp');
  });

  it('wrap-up disposition and summary typed in one session do not appear in another session, and are still there on coming back', async () => {
    const { panel } = await mount(twoSessions({ state: 'wrapup' }));
    await waitUntil(() => sessionTabs(panel).length === 2 && all(panel, 'textarea[aria-label="Summary"]').length === 1, 'wrap-up shown');
    await waitUntil(() => (all(panel, 'select[aria-label="Disposition"]')[0] as HTMLSelectElement).options.length > 1, 'dispositions');
    const select = all(panel, 'select[aria-label="Disposition"]')[0] as HTMLSelectElement;
    select.value = 'resolved';
    select.dispatchEvent(new Event('change'));
    const summary = all(panel, 'textarea[aria-label="Summary"]')[0] as HTMLTextAreaElement;
    summary.focus();
    await sendKeys({ type: 'Refund issued to Ana' });

    sessionTabs(panel)[1]!.click();
    await waitUntil(() => all(panel, '.row .body').some((b) => b.textContent === 'Hi from Bob'), 'Bob selected');
    expect(wrapUpForm(panel), 'Bob’s wrap-up form').to.deep.equal({ disposition: '', summary: '' });

    sessionTabs(panel)[0]!.click();
    await waitUntil(() => all(panel, '.row .body').some((b) => b.textContent === 'Hi from Ana'), 'Ana selected again');
    await panel.updateComplete;
    expect(wrapUpForm(panel), 'Ana’s wrap-up form after coming back').to.deep.equal({
      disposition: 'resolved',
      summary: 'Refund issued to Ana',
    });
  });

  it('a wrap-up writes nothing more to the customer: it says why where the reply window was, its composer and Reply are off', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation({ id: 'conv-1', state: 'wrapup' })];
    fake.messages['conv-1'] = [makeMessage({ conversationId: 'conv-1', body: 'Hi from Ana' })];
    const { panel } = await mount(fake);
    await waitUntil(() => all(panel, '.row .body').some((b) => b.textContent === 'Hi from Ana'), 'transcript shown');
    await waitUntil(() => all(panel, '[role="note"].ended').length === 1, 'the ended note');
    expect(all(panel, '[role="note"].ended')[0]!.textContent).to.equal('You ended this conversation. If the customer writes again, their message comes as a new conversation.');
    expect(all(panel, 'wcp-window-banner')).to.have.length(0);
    expect((all(panel, 'textarea[aria-label="Message"]')[0] as HTMLTextAreaElement).disabled).to.equal(true);
    expect((byText(panel, 'button', 'Send template') as HTMLButtonElement).disabled).to.equal(true);
    expect(all(panel, 'button').filter((b) => b.textContent!.trim().startsWith('Reply')), 'no Reply on the messages').to.have.length(0);
  });

  it('a close the relay refuses keeps the disposition and summary the agent typed', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation({ id: 'conv-1', state: 'wrapup' })];
    fake.messages['conv-1'] = [makeMessage({ conversationId: 'conv-1', body: 'Hi from Ana' })];
    const { panel } = await mount(fake);
    worker.use(
      http.put(`${RELAY}/api/v1/conversations/:id/state`, () =>
        HttpResponse.json({ error: 'store_unavailable', message: 'The store is not reachable; try again.' }, { status: 503 }),
      ),
    );
    await waitUntil(() => ((all(panel, 'select[aria-label="Disposition"]')[0] as HTMLSelectElement | undefined)?.options.length ?? 0) > 1, 'wrap-up with dispositions');
    const select = all(panel, 'select[aria-label="Disposition"]')[0] as HTMLSelectElement;
    select.value = 'resolved';
    select.dispatchEvent(new Event('change'));
    (all(panel, 'textarea[aria-label="Summary"]')[0] as HTMLTextAreaElement).focus();
    await sendKeys({ type: 'Long summary of what was agreed' });
    byText(panel, 'button', 'Close conversation')!.click();
    await waitUntil(() => all(panel, '.notice').some((n) => n.textContent!.includes('could not be changed')), 'refusal shown');
    await panel.updateComplete;
    expect(wrapUpForm(panel), 'the wrap-up form after the refused close').to.deep.equal({
      disposition: 'resolved',
      summary: 'Long summary of what was agreed',
    });
  });

  it('coming back to a session keeps the place the agent had scrolled to', async () => {
    const fake = twoSessions();
    fake.messages['conv-1'] = Array.from({ length: 40 }, (_, i) =>
      makeMessage({ id: `a-${i}`, conversationId: 'conv-1', body: `Ana line ${i}`, createdAt: new Date(Date.now() - (100 - i) * 60_000).toISOString() }),
    );
    const { panel } = await mount(fake);
    const log = () => all(panel, '[role="log"]')[0] as HTMLElement;
    const shown = (body: string) => all(panel, '.row .body').some((b) => b.textContent === body);
    await waitUntil(() => sessionTabs(panel).length === 2 && shown('Ana line 39'), 'Ana at her newest');
    await new Promise((r) => setTimeout(r, 300));
    agentScrolls(log(), 0);
    await waitUntil(() => shown('Ana line 0'), 'scrolled to the top');
    await new Promise((r) => setTimeout(r, 300));

    sessionTabs(panel)[1]!.click();
    await waitUntil(() => shown('Hi from Bob'), 'Bob selected');
    sessionTabs(panel)[0]!.click();
    await waitUntil(() => shown('Ana line 0'), 'Ana back where the agent was reading');
    await new Promise((r) => setTimeout(r, 500));
    expect(log().scrollTop, 'scroll position after coming back').to.be.below(50);
  });

  it("a send error in one session is not shown in another session's composer", async () => {
    const fake = twoSessions();
    fake.refuseSendWith = { status: 400, error: 'invalid_request', message: 'Bad body' };
    const { panel } = await mount(fake);
    await waitUntil(() => sessionTabs(panel).length === 2, 'two tabs');
    const box = all(panel, 'textarea[aria-label="Message"]')[0] as HTMLTextAreaElement;
    box.focus();
    await sendKeys({ type: 'Hello Ana' });
    await sendKeys({ press: 'Enter' });
    const composer = all(panel, 'wcp-composer')[0]!;
    await waitUntil(() => composer.shadowRoot!.querySelector('[role="alert"]'), 'error in Ana’s composer');

    sessionTabs(panel)[1]!.click();
    await waitUntil(() => all(panel, '.row .body').some((b) => b.textContent === 'Hi from Bob'), 'Bob selected');
    const alert = composer.shadowRoot!.querySelector('[role="alert"]');
    expect(alert?.textContent ?? '', 'alert in Bob’s composer').to.equal('');
  });

  it('an arriving offer takes focus to Accept when focus is nowhere, never from the reply being typed', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    const { panel, events } = await mount(fake);
    await waitUntil(() => all(panel, 'textarea[aria-label="Message"]').length === 1, 'composer');
    (deepActiveElement() as HTMLElement | null)?.blur();
    events.latest.send({ id: '1', type: 'offer', data: { conversationId: 'conv-8', conversation: makeOffer({ id: 'conv-8' }), firstMessage: null } });
    await waitUntil(() => deepActiveElement()?.textContent?.trim() === 'Accept', 'focus at Accept');

    const composer = all(panel, 'textarea[aria-label="Message"]')[0] as HTMLTextAreaElement;
    composer.focus();
    await sendKeys({ type: 'Let me check' });
    events.latest.send({ id: '2', type: 'offer', data: { conversationId: 'conv-9', conversation: makeOffer({ id: 'conv-9' }), firstMessage: null } });
    await waitUntil(() => all(panel, '[role="alertdialog"]').length === 2, 'second offer shown');
    await panel.updateComplete;
    await sendKeys({ type: ' for you' });
    expect(deepActiveElement(), 'still typing in the composer').to.equal(composer);
    expect(composer.value).to.equal('Let me check for you');
    // Not taken to the card, the agent is still told: a screen reader says who is waiting.
    const said = all(panel, '.visually-hidden[aria-live="assertive"]').map((a) => a.textContent!.trim());
    expect(said).to.include(`Incoming WhatsApp conversation from ${makeOffer().customer.profileName}.`);
  });

  it('keeps keyboard focus inside the panel after rejecting an offer with the keyboard', async () => {
    const fake = emptyFake();
    fake.conversations = [makeOffer({ id: 'conv-9' }), makeConversation()];
    const { panel } = await mount(fake);
    await waitUntil(() => byText(panel, 'button', 'Reject'), 'offer shown');
    byText(panel, 'button', 'Reject')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.rejected.length === 1 && all(panel, '[role="alertdialog"]').length === 0, 'rejected');
    await panel.updateComplete;
    const active = deepActiveElement();
    expect(active?.tagName ?? 'null', 'focused element after Reject').not.to.be.oneOf(['BODY', 'HTML', 'null']);
  });

  it('closing a conversation at wrap-up by keyboard carries focus on to the next conversation’s composer', async () => {
    const fake = twoSessions();
    fake.conversations[0] = { ...fake.conversations[0]!, state: 'wrapup' };
    const { panel } = await mount(fake);
    await waitUntil(() => sessionTabs(panel).length === 2, 'two tabs');
    const select = () => all(panel, 'select[aria-label="Disposition"]')[0] as HTMLSelectElement;
    await waitUntil(() => select()?.options.length > 1, 'dispositions');
    select().focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Refund issued' });
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()?.textContent?.trim()).to.equal('Close conversation');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => fake.states.includes('closed') && sessionTabs(panel).length === 1, 'closed, one tab left');
    await waitUntil(() => deepActiveElement()?.getAttribute('aria-label') === 'Message', 'focus in Bob’s composer');
    expect(sessionTabs(panel)[0]!.textContent).to.contain('Bob');
  });

  it('names the transfer note textbox "Note" exactly (DESIGN.md)', async () => {
    const el = await fixture<WcpTransferDialog>(html`<wcp-transfer-dialog .agents=${[]} .queues=${[]}></wcp-transfer-dialog>`);
    await el.show();
    await expect(el).to.be.accessible(); // loads axe-core onto the page
    type Axe = { setup(n: Node): void; teardown(): void; commons: { text: { accessibleText(e: Element): string } } };
    const axe = (window as unknown as { axe: Axe }).axe;
    axe.setup(document);
    const name = axe.commons.text.accessibleText(el.shadowRoot!.querySelector('textarea')!);
    axe.teardown();
    expect(name.trim(), 'accessible name of the note textbox').to.equal('Note');
  });

  it('shows the customer phone number as +1… (not 1…+) in the Arabic right-to-left panel', async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    fake.messages['conv-1'] = [makeMessage({ body: 'Hola' })];
    const { panel } = await mount(fake, 'ar');
    await waitUntil(() => all(panel, '.conversation-header small').length === 1, 'header');
    await waitUntil(() => panel.getAttribute('dir') === 'rtl', 'rtl');
    const small = all(panel, '.conversation-header small')[0]!;
    const text = document.createTreeWalker(small, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (/\d/.test(n.nodeValue ?? '') ? 1 : 3) }).nextNode() as Text;
    expect(text.data).to.equal('+14155550100');
    const rect = (i: number) => {
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      return range.getBoundingClientRect();
    };
    const plus = rect(0);
    const one = rect(1);
    expect(plus.left, `'+' at x=${plus.left}, '1' at x=${one.left}: the plus sign should be drawn left of the digits`).to.be.lessThan(one.left);
  });

  it("draws an Arabic customer's message right to left in the English panel (trailing '!' at the visual end)", async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation()];
    fake.messages['conv-1'] = [makeMessage({ body: 'شكرا جزيلا!' })];
    const { panel } = await mount(fake, 'en');
    await waitUntil(() => all(panel, '.row .body').length === 1, 'message');
    const body = all(panel, '.row .body')[0]!;
    const text = body.firstChild?.nodeType === Node.TEXT_NODE ? (body.firstChild as Text) : document.createTreeWalker(body, NodeFilter.SHOW_TEXT).nextNode() as Text;
    const at = (i: number) => {
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      return range.getBoundingClientRect();
    };
    const i = text.data.indexOf('!');
    const bang = at(i);
    const first = at(text.data.indexOf('ش'));
    expect(bang.left, `'!' at x=${bang.left}, first letter at x=${first.left}`).to.be.lessThan(first.left);
  });
});
