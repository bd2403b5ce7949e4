import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { WINDOW_EXPIRED_MESSAGE } from '@wcp/protocol/values';
import { useLocale } from '../i18n/locale.js';
import { controlText } from '../i18n/control-text.js';
import { signInText } from '../i18n/sign-in-text.js';
import { windowExpiredMessage } from '../lib/reply-window.js';
import { formatDateTime, formatDuration } from '../lib/time.js';
import { createRelayClient } from '../relay/relay-client.js';
import { deepQueryAll } from '../test/deep-query.js';
import { RELAY, makeConversation, makeMessage, makeOffer } from '../test/fixtures.js';
import { emptyFake, fakeCrm, relayHandlers } from '../test/panel-relay-fake.js';
import { devToken, eventsEndpoint, startRelayMock, worker } from '../test/relay-mock.js';
import { ignoreResizeObserverLoopErrors } from '../test/resize-observer.js';
import type { WcpPanel } from './wcp-panel.js';
import './wcp-panel.js';

ignoreResizeObserverLoopErrors();

/** What a screen reader calls each control the design names (DESIGN.md, "Accessible names"). */
function names(panel: WcpPanel) {
  const all = (selector: string) => deepQueryAll(panel.shadowRoot!, selector);
  const text = (el: Element | undefined) => el?.textContent?.trim() ?? '';
  const labelOf = (selector: string) => all(selector)[0]?.getAttribute('aria-label') ?? '';
  const buttons = all('button').map(text);
  return {
    alertdialog: labelOf('[role="alertdialog"]'),
    log: labelOf('[role="log"]'),
    textbox: labelOf('textarea[part="textbox"]'),
    presence: text(all('wcp-presence')[0]?.shadowRoot?.querySelector('label') ?? undefined),
    buttons,
  };
}

/** The named controls as `expected` says, and the buttons among the panel's buttons. */
function expectNames(panel: WcpPanel, expected: Omit<ReturnType<typeof names>, 'buttons'> & { buttons: string[] }) {
  const { buttons, ...named } = names(panel);
  const { buttons: wanted, ...expectedNamed } = expected;
  expect(named).to.deep.equal(expectedNamed);
  expect(buttons).to.include.members(wanted);
}

interface AxeResults {
  violations: { id: string; nodes: { target: unknown; failureSummary?: string }[] }[];
  passes: { id: string; nodes: unknown[] }[];
}

/** axe's colour-contrast rule alone, through the axe that chai-a11y-axe put on the page. */
async function contrast(element: Element): Promise<AxeResults> {
  const axe = (window as unknown as { axe: { run(el: Element, options: object): Promise<AxeResults> } }).axe;
  return axe.run(element, { runOnly: { type: 'rule', values: ['color-contrast'] } });
}

describe('wcp-panel: languages and theme', () => {
  let panel: WcpPanel | undefined;
  before(startRelayMock);
  afterEach(async () => {
    panel?.disconnect();
    worker.resetHandlers();
    await useLocale('en');
  });

  /** A panel with an offer waiting, one open conversation and its transcript. */
  async function mount(locale: string, theme?: 'dark' | 'light') {
    const fake = emptyFake();
    fake.conversations = [makeOffer({ id: 'conv-9' }), makeConversation()];
    fake.messages['conv-1'] = [makeMessage({ body: 'Hola' }), makeMessage({ id: 'm-2', direction: 'outbound', body: 'Hi Ana', status: 'read' })];
    const events = eventsEndpoint();
    worker.use(events.handler, ...relayHandlers(fake));
    const relay = createRelayClient({ baseUrl: RELAY, getToken: async () => devToken(), outboxStorage: null, backoff: { baseMs: 10, maxMs: 40 } });
    panel = await fixture<WcpPanel>(
      html`<wcp-panel style="height: 700px" .relay=${relay} .crm=${fakeCrm({ '+14155550100': 'Ana García' })} locale=${locale} theme=${theme ?? 'light'}></wcp-panel>`,
    );
    await waitUntil(() => deepQueryAll(panel!.shadowRoot!, '[role="alertdialog"]').length === 1, 'offer shown');
    await waitUntil(() => deepQueryAll(panel!.shadowRoot!, '.row[data-message-id]').length === 2, 'transcript shown');
    return panel;
  }

  it('renders German labels and accessible names', async () => {
    const panel = await mount('de');
    await waitUntil(() => names(panel).buttons.includes('Senden'), 'German text');
    expect(panel.getAttribute('lang')).to.equal('de');
    expect(panel.getAttribute('dir')).to.equal('ltr');
    expectNames(panel, {
      alertdialog: 'Eingehende WhatsApp-Unterhaltung',
      log: 'Unterhaltungsverlauf',
      textbox: 'Nachricht',
      presence: 'Anwesenheit',
      buttons: ['Annehmen', 'Ablehnen', 'Senden', 'Datei anhängen', 'Vorlage senden'],
    });
    expect(names(panel).buttons).not.to.include.members(['Send', 'Accept']);
    await expect(panel).to.be.accessible();
  });

  it('lays Arabic out right to left with Arabic names', async () => {
    const panel = await mount('ar');
    await waitUntil(() => names(panel).buttons.includes('إرسال'), 'Arabic text');
    expect(panel.getAttribute('lang')).to.equal('ar');
    expect(panel.getAttribute('dir')).to.equal('rtl');
    const composer = deepQueryAll(panel.shadowRoot!, 'wcp-composer')[0]!;
    expect(getComputedStyle(composer).direction).to.equal('rtl');
    expectNames(panel, {
      alertdialog: 'محادثة واتساب واردة',
      log: 'نص المحادثة',
      textbox: 'الرسالة',
      presence: 'التواجد',
      buttons: ['قبول', 'رفض', 'إرسال', 'إرفاق ملف', 'إرسال قالب'],
    });
    // Arabic's comma between the sentiment's label and trend (it was a Latin one).
    await waitUntil(() => deepQueryAll(panel.shadowRoot!, 'wcp-sentiment')[0]?.shadowRoot?.querySelector('.sentiment'), 'sentiment shown');
    const sentiment = deepQueryAll(panel.shadowRoot!, 'wcp-sentiment')[0]!.shadowRoot!.querySelector('.sentiment')!.textContent!;
    expect(sentiment).to.contain('، ');
    expect(sentiment).not.to.contain(', ');
    await expect(panel).to.be.accessible();
  });

  it("names the relay's dispositions in the agent's language at wrap-up", async () => {
    const fake = emptyFake();
    fake.conversations = [makeConversation({ state: 'wrapup' })];
    const events = eventsEndpoint();
    worker.use(events.handler, ...relayHandlers(fake));
    const relay = createRelayClient({ baseUrl: RELAY, getToken: async () => devToken(), outboxStorage: null, backoff: { baseMs: 10, maxMs: 40 } });
    panel = await fixture<WcpPanel>(html`<wcp-panel style="height: 700px" .relay=${relay} .crm=${fakeCrm()} locale="de"></wcp-panel>`);
    const options = () => [...(deepQueryAll(panel!.shadowRoot!, 'select[aria-label="Abschlussgrund"]')[0] as HTMLSelectElement | undefined)?.options ?? []].map((o) => o.text);
    await waitUntil(() => options().length === 2, 'the German disposition list');
    expect(options()).to.deep.equal(['Auswählen …', 'Gelöst']);
  });

  it('keeps the English names exactly, also after another language', async () => {
    const panel = await mount('de');
    await waitUntil(() => names(panel).buttons.includes('Senden'), 'German text');
    panel.locale = 'en-GB';
    await waitUntil(() => names(panel).buttons.includes('Send'), 'English again');
    expect(panel.getAttribute('lang')).to.equal('en');
    expectNames(panel, {
      alertdialog: 'Incoming WhatsApp conversation',
      log: 'Conversation transcript',
      textbox: 'Message',
      presence: 'Presence',
      buttons: ['Accept', 'Reject', 'Send', 'Attach file', 'Send template'],
    });
  });

  it('an unknown language is English', async () => {
    const panel = await mount('ja');
    expect(panel.getAttribute('lang')).to.equal('en');
    expect(names(panel).buttons).to.include('Send');
  });

  it('words the 24-hour error exactly as the relay in English, translated elsewhere', async () => {
    expect(windowExpiredMessage()).to.equal(WINDOW_EXPIRED_MESSAGE);
    await useLocale('fr');
    expect(windowExpiredMessage()).to.equal('Cette conversation a dépassé le délai de 24 heures pour répondre au client.');
  });

  it("words the Power Apps control's sign-in bar in the agent's language", async () => {
    await useLocale('en');
    expect(signInText.unreachable('https://relay.contoso.com')).to.equal('The relay at https://relay.contoso.com cannot be reached.');
    await useLocale('de');
    expect(signInText.button()).to.equal('Anmelden');
    expect(signInText.unreachable('https://relay.contoso.com')).to.equal('Das Relay unter https://relay.contoso.com ist nicht erreichbar.');
    expect(signInText.refused(403, 'no role')).to.equal('Das Relay hat die Anmeldung des Mitarbeiters abgelehnt (HTTP 403: no role).');
    await useLocale('en');
  });

  it("words the Power Apps control's own notices and CRM errors in the agent's language", async () => {
    await useLocale('es');
    expect(controlText.phoneNotInternational('(555) 010-1234')).to.equal(
      'El número de teléfono «(555) 010-1234» no está en formato internacional (+ y código de país), por lo que WhatsApp no puede asociarse a él.',
    );
    expect(controlText.unsupportedEntity('lead')).to.equal('No se admite vincular a registros de «lead».');
    await useLocale('de');
    expect(controlText.caseNeedsCustomer()).to.equal('Ein Fall braucht einen Kunden: Verknüpfen Sie die Unterhaltung zuerst mit einem Kontakt oder einem Konto.');
    // The control's configuration errors, shown instead of the panel.
    expect(controlText.relayUrlNotHttps('http://relay.contoso.com')).to.equal('Die Relay-URL „http://relay.contoso.com“ muss https:// verwenden (http:// nur für ein Relay auf localhost).');
    await useLocale('en');
    expect(controlText.dataverseFailed()).to.equal('Dataverse did not complete the request.');
  });

  it('formats dates and durations with Intl in the chosen locale', async () => {
    await useLocale('de');
    expect(formatDuration(20 * 3600_000 + 5 * 60_000)).to.equal('20 Std. 5 Min.');
    expect(formatDateTime('2025-11-25T12:03:00Z')).to.contain('25.11.2025');
    await useLocale('en');
    expect(formatDuration(20 * 3600_000 + 5 * 60_000)).to.equal('20 h 5 min');
    expect(formatDateTime('2025-11-25T12:03:00Z')).to.contain('Nov 25, 2025');
  });

  it('keeps every control outlined in forced colours (Windows high contrast)', async () => {
    await executeServerCommand('forced-colors', { active: true });
    try {
      const panel = await mount('en', 'dark');
      expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
      const controls = deepQueryAll(panel.shadowRoot!, 'button, input[type="text"], input[type="search"], textarea, select, [role="tab"]').filter(
        (el) => (el as HTMLElement).offsetParent !== null,
      );
      expect(controls.length).to.be.greaterThan(15);
      const unframed = controls.filter((el) => {
        const style = getComputedStyle(el);
        return !(parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== 'none');
      });
      expect(unframed.map((el) => el.outerHTML.slice(0, 80))).to.deep.equal([]);
      const selected = deepQueryAll(panel.shadowRoot!, '[aria-selected="true"], [aria-pressed="true"]')[0]!;
      expect(getComputedStyle(selected).outlineStyle).to.equal('solid');
      // A disabled Send (nothing typed) looked like a pressed button: it is greyed, without the mark.
      const send = deepQueryAll(panel.shadowRoot!, 'button.primary').find((b) => b.textContent!.trim() === 'Send') as HTMLButtonElement;
      expect(send.disabled).to.equal(true);
      expect(getComputedStyle(send).outlineStyle).to.equal('none');
    } finally {
      await executeServerCommand('forced-colors', { active: false });
    }
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe colour contrast in the ${theme} theme`, async () => {
      const panel = await mount('en', theme);
      await expect(panel).to.be.accessible();
      const results = await contrast(panel);
      expect(results.violations.flatMap((v) => v.nodes.map((n) => n.failureSummary))).to.deep.equal([]);
      expect(results.passes.find((p) => p.id === 'color-contrast')?.nodes.length ?? 0).to.be.greaterThan(10);
    });
  }
});
