/**
 * Hostile text renders as text (DESIGN.md: "Text from customers is always rendered as text,
 * never as HTML"). Customer message bodies, profile names, media file names, template
 * variables, CRM names and search snippets carry XSS payloads; every test checks that the
 * payload is shown verbatim, that no element or handler was created from it anywhere in the
 * shadow trees, and that the payloads' `window.__pwned = 1` never ran.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Conversation, MediaItem, Message, SearchHit } from '@wcp/protocol';
import type { CrmContact, CrmPort } from '../ports/crm-port.js';
import { createRelayClient } from '../relay/relay-client.js';
import { conversation as sideConversation, maria } from '../side/shared/test-fixtures.js';
import { control } from '../side/shared/test-helpers.js';
import type { SidePaneElement } from '../side/wcp-side-pane/wcp-side-pane.js';
import { deepQueryAll } from '../test/deep-query.js';
import { RELAY, makeAgent, makeConversation, makeMessage, makeOffer, makeTemplate } from '../test/fixtures.js';
import { devToken, eventsEndpoint, http, HttpResponse, startRelayMock, worker } from '../test/relay-mock.js';
import { ignoreResizeObserverLoopErrors } from '../test/resize-observer.js';
import type { WcpPanel } from '../wcp-panel/wcp-panel.js';
import type { WcpTemplatePicker } from '../wcp-template-picker/wcp-template-picker.js';
import type { WcpThread } from '../wcp-thread/wcp-thread.js';
import '../side/wcp-side-pane/wcp-side-pane.js';
import '../wcp-incoming/wcp-incoming.js';
import '../wcp-panel/wcp-panel.js';
import '../wcp-template-picker/wcp-template-picker.js';
import '../wcp-thread/wcp-thread.js';
import { agentScrolls } from '../test/scroll.js';

ignoreResizeObserverLoopErrors();

declare global {
  interface Window {
    __pwned?: unknown;
    __cspProbe?: unknown;
  }
}

const PWN = {
  img: '<img src=x onerror=window.__pwned=1>',
  script: '<script>window.__pwned=1</script>',
  svg: '"><svg onload=window.__pwned=1>',
  jsUrl: 'javascript:window.__pwned=1',
  anchor: '<a href="javascript:alert(1)">x</a>',
  iframe: '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  style: '<style>*{display:none!important}</style><b style="background:url(javascript:window.__pwned=1)">bold</b>',
};
/** RIGHT-TO-LEFT OVERRIDE ... POP DIRECTIONAL FORMATTING: "Invoice exe.pdf" spoofing. */
const RTL = 'Invoice \u202Efdp.exe\u202C attached';
const LONG = 'W'.repeat(5000);
const PAYLOADS = [...Object.values(PWN), RTL];

const TAGS_NEVER_RENDERED = new Set(['script', 'iframe', 'frame', 'object', 'embed', 'base', 'meta', 'link', 'style', 'template']);
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc', 'data'];

/** Describes every element under `host` (through shadow roots) that hostile text could have created. */
function injectedElements(host: Element): string[] {
  const all = [host, ...deepQueryAll(host, '*'), ...(host.shadowRoot ? deepQueryAll(host.shadowRoot, '*') : [])];
  const found: string[] = [];
  for (const el of all) {
    const tag = el.localName;
    const describe = (why: string) => found.push(`<${tag}> ${why}: ${el.outerHTML.slice(0, 120)}`);
    if (TAGS_NEVER_RENDERED.has(tag) && el !== host) describe('element');
    // The panel's own images are media shown from blob: URLs it created.
    if (tag === 'img' && !el.getAttribute('src')?.startsWith('blob:')) describe('image not from a blob: URL');
    // The panel's own SVGs are decorative icons, all aria-hidden.
    if (tag === 'svg' && el.getAttribute('aria-hidden') !== 'true') describe('svg that is not a decorative icon');
    for (const attribute of el.attributes) {
      if (attribute.name.startsWith('on')) describe(`event handler attribute ${attribute.name}`);
      if (URL_ATTRIBUTES.includes(attribute.name) && /^\s*(javascript|vbscript|data):/i.test(attribute.value)) describe(`${attribute.name}=${attribute.value}`);
    }
    if (tag === 'a' && el.hasAttribute('href') && !/^(https?|blob):/i.test(el.getAttribute('href')!)) describe('link that is not http(s) or blob:');
    if (/javascript:|expression\(|url\(|behavior:|-moz-binding/i.test(el.getAttribute('style') ?? '')) describe('hostile inline style');
  }
  return found;
}

/** Lets failed image loads and SVG load events (the payloads' triggers) happen. */
async function settle(): Promise<void> {
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  await new Promise((resolve) => setTimeout(resolve, 150));
}

async function expectNothingInjected(host: Element): Promise<void> {
  await settle();
  expect(injectedElements(host), 'elements created from hostile text').to.deep.equal([]);
  expect(window.__pwned, 'a payload ran').to.equal(undefined);
}

/** Visible: laid out with a size and not hidden (visually-hidden text is excluded on purpose). */
function expectVisible(el: Element | null | undefined, what: string): void {
  expect(el, what).to.be.instanceOf(Element);
  const box = el!.getBoundingClientRect();
  expect(box.width > 1 && box.height > 1 && el!.checkVisibility(), `${what} is visible`).to.equal(true);
}

/** The right edge of `el` stays inside `container` (a long unbroken string wraps). */
function expectContained(el: Element, container: Element, what: string): void {
  const inner = el.getBoundingClientRect();
  const outer = container.getBoundingClientRect();
  expect(inner.right, `${what} overflows (right ${inner.right} > ${outer.right})`).to.be.at.most(outer.right + 1);
}

beforeEach(() => {
  delete window.__pwned;
});

// ---------------------------------------------------------------------------------------------
// (a) customer message bodies, (b) auto-linked URLs, (d) media file names in <wcp-thread>
// ---------------------------------------------------------------------------------------------

async function thread(messages: Message[], extra: { mediaUrls?: Map<string, string>; height?: number; customerName?: string } = {}) {
  const el = await fixture<WcpThread>(html`<wcp-thread
    style=${`display: block; height: ${extra.height ?? 1400}px; width: 360px`}
    .messages=${messages}
    .mediaUrls=${extra.mediaUrls ?? new Map()}
    .customerName=${extra.customerName ?? 'Ana'}
  ></wcp-thread>`);
  await waitUntil(() => el.shadowRoot!.querySelectorAll('.row').length === messages.length, 'every row rendered', { timeout: 5000 });
  return el;
}
const row = (el: WcpThread, id: string) => el.shadowRoot!.querySelector<HTMLElement>(`[data-message-id="${id}"]`)!;

describe('xss: customer message bodies in wcp-thread', () => {
  it('shows every payload as visible text, creates no element from it and runs nothing', async () => {
    const messages = PAYLOADS.map((body, i) =>
      makeMessage({ id: `in-${i}`, body, replyTo: { id: 'earlier', body: PWN.img } }),
    );
    const failed = makeMessage({
      id: 'failed',
      direction: 'outbound',
      status: 'failed',
      body: PWN.svg,
      errorCode: 63016,
      errorMessage: PWN.script,
    });
    const el = await thread([...messages, failed], { customerName: PWN.svg });

    PAYLOADS.forEach((payload, i) => {
      const body = row(el, `in-${i}`).querySelector('.body');
      expectVisible(body, `body of message ${i}`);
      expect(body!.textContent, `message ${i}`).to.equal(payload);
      expect(body!.children, `message ${i} has no child elements`).to.have.length(0);
      expect(row(el, `in-${i}`).querySelector('.quote')!.textContent).to.equal(`Replying to:${PWN.img}`);
      expect(row(el, `in-${i}`).textContent).to.contain(`${PWN.svg}:`); // the screen-reader name of the sender
    });
    expect(row(el, `in-${PAYLOADS.indexOf(RTL)}`).querySelector('.body')!.textContent).to.contain('\u202E'); // kept as a character
    expect(row(el, 'failed').querySelector('.error')!.textContent).to.contain(`Not delivered: ${PWN.script} (63016)`);
    expect(deepQueryAll(el.shadowRoot!, 'img, script, iframe, style')).to.have.length(0);
    expect(deepQueryAll(el.shadowRoot!, 'svg').every((svg) => svg.getAttribute('aria-hidden') === 'true')).to.equal(true);
    // No http(s) URL in these bodies: the one link is Twilio's page for the failed message's code.
    expect(deepQueryAll(el.shadowRoot!, 'a').map((a) => a.getAttribute('href'))).to.deep.equal(['https://www.twilio.com/docs/api/errors/63016']);
    await expectNothingInjected(el);
    await expect(el).to.be.accessible();
  });

  it('wraps a very long unbroken string and a long URL inside the bubble', async () => {
    const longUrl = `https://contoso.example/${'a'.repeat(3000)}`;
    const el = await thread(
      [makeMessage({ id: 'long', body: LONG }), makeMessage({ id: 'url', body: longUrl }), makeMessage({ id: 'rtl', body: RTL })],
      { height: 3000 },
    );
    for (const id of ['long', 'url', 'rtl']) {
      expectContained(row(el, id).querySelector('.message')!, el, `message ${id}`);
      expectContained(row(el, id).querySelector('.body')!, el, `body ${id}`);
    }
    expect(row(el, 'long').querySelector('.body')!.textContent).to.equal(LONG);
    expect(row(el, 'url').querySelector('a')!.getAttribute('href')).to.equal(longUrl);
    await expectNothingInjected(el);
    await expect(el).to.be.accessible();
  });
});

describe('xss: auto-linked URLs in wcp-thread', () => {
  it('links only http(s) URLs, with rel="noopener noreferrer" and target="_blank"', async () => {
    const body = [
      'see https://contoso.example/help?q=1&r=2, or http://plain.example/x.',
      'javascript:window.__pwned=1 JaVaScRiPt:window.__pwned=1 vbscript:msgbox(1)',
      'data:text/html,<script>window.__pwned=1</script>',
      'data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+',
      '<a href="javascript:alert(1)">x</a>',
      'http://quote.example/"onmouseover="window.__pwned=1',
      'https://img.example/<img src=x onerror=window.__pwned=1>',
      "https://apos.example/'onfocus='window.__pwned=1",
      'ftp://files.example/a file:///etc/passwd mailto:a@b.example',
    ].join('\n');
    const el = await thread([makeMessage({ id: 'links', body })]);
    const bodyEl = row(el, 'links').querySelector('.body')!;
    expect(bodyEl.textContent, 'the whole message is shown as text').to.equal(body);

    const links = [...bodyEl.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://contoso.example/help?q=1&r=2',
      'http://plain.example/x',
      'http://quote.example/',
      'https://img.example/',
      'https://apos.example/',
    ]);
    for (const a of links) {
      expect(a.relList.contains('noopener'), `${a.href} rel noopener`).to.equal(true);
      expect(a.relList.contains('noreferrer'), `${a.href} rel noreferrer`).to.equal(true);
      expect(a.getAttribute('target')).to.equal('_blank');
      expect(a.protocol).to.be.oneOf(['http:', 'https:']);
      expect([...a.attributes].map((attr) => attr.name).sort()).to.deep.equal(['dir', 'href', 'rel', 'target']);
      expect(a.getAttribute('dir'), 'an address reads left to right, isolated from the text around it').to.equal('ltr');
      expect(a.children, 'link text is text').to.have.length(0);
    }
    // None of javascript:, data:, vbscript:, ftp:, file:, mailto: became a link anywhere.
    expect(deepQueryAll(el.shadowRoot!, 'a[href]').filter((a) => !/^https?:/.test(a.getAttribute('href')!))).to.deep.equal([]);
    await expectNothingInjected(el);
    await expect(el).to.be.accessible();
  });
});

describe('xss: direction controls cannot disguise an auto-linked URL', () => {
  /** Where on screen the character at `index` of `link`'s text is drawn. */
  const charLeft = (link: Element, index: number) => {
    const text = [...link.childNodes].find((node) => node.nodeType === Node.TEXT_NODE && node.textContent === link.textContent)!;
    const range = document.createRange();
    range.setStart(text, index);
    range.setEnd(text, index + 1);
    return range.getBoundingClientRect().left;
  };

  it('a link shows the address it opens, in reading order, whatever direction controls the customer typed', async () => {
    // RIGHT-TO-LEFT OVERRIDE inside a URL: "https://evil.example/moc.knab" drawn as ".../bank.com".
    const inside = 'https://evil.example/\u202Emoc.knab-eruces\u202C pay now';
    // RIGHT-TO-LEFT OVERRIDE before a URL: the whole address drawn backwards.
    const before = 'pay at \u202Ehttps://evil.example/moc.knab';
    const el = await thread([makeMessage({ id: 'inside', body: inside }), makeMessage({ id: 'before', body: before })]);

    const insideLink = row(el, 'inside').querySelector('.body a')!;
    expect(row(el, 'inside').querySelector('.body')!.textContent, 'the text is all still shown').to.equal(inside);
    expect(insideLink.textContent, 'the link ends where a direction control starts').to.equal('https://evil.example/');
    expect(insideLink.getAttribute('href')).to.equal('https://evil.example/');

    const beforeLink = row(el, 'before').querySelector('.body a')!;
    const text = beforeLink.textContent!;
    expect(text).to.equal('https://evil.example/moc.knab');
    expect(charLeft(beforeLink, 0), 'the address reads left to right: "h" of https first').to.be.below(charLeft(beforeLink, text.length - 1));
    await expectNothingInjected(el);
  });
});

describe('xss: media file names in wcp-thread', () => {
  // A 1x1 transparent PNG, so the image really loads from its blob: URL.
  const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='), (c) => c.charCodeAt(0));
  const blobUrls: string[] = [];
  after(() => blobUrls.forEach((url) => URL.revokeObjectURL(url)));

  it('shows hostile file names as text in links, placeholders and labels', async () => {
    const imageUrl = URL.createObjectURL(new Blob([png], { type: 'image/png' }));
    const docUrl = URL.createObjectURL(new Blob(['%PDF-1.4'], { type: 'application/pdf' }));
    blobUrls.push(imageUrl, docUrl);
    const messages: Message[] = [];
    const mediaUrls = new Map<string, string>();
    PAYLOADS.forEach((filename, i) => {
      const item = (kind: string, contentType: string): MediaItem => ({ id: `ME${kind}${i}`, contentType, url: `/api/v1/media/ME${kind}${i}`, filename, size: 2048 });
      const image = item('img', 'image/png');
      const doc = item('doc', 'application/pdf');
      const loading = item('wait', 'application/pdf');
      const broken = item('fail', 'application/pdf');
      mediaUrls.set(image.url, imageUrl).set(doc.url, docUrl).set(broken.url, '');
      messages.push(makeMessage({ id: `media-${i}`, body: '', media: [image, doc, loading, broken] }));
    });
    const el = await thread(messages, { mediaUrls, height: 2400 });

    PAYLOADS.forEach((filename, i) => {
      const r = row(el, `media-${i}`);
      const [image, doc, loading, broken] = [...r.querySelectorAll('.media')];
      const img = image!.querySelector('img')!;
      expect(img.getAttribute('src')).to.equal(imageUrl);
      expect(img.getAttribute('alt'), 'the file name is the alt text, as an attribute value').to.equal(filename);
      const link = doc!.querySelector('a')!;
      expectVisible(link, `document link ${i}`);
      expect(link.textContent!.trim()).to.equal(`${filename} (2 KB)`);
      expect(link.getAttribute('href')).to.equal(docUrl);
      expect(link.getAttribute('download')).to.equal(filename);
      expect(link.relList.contains('noopener') && link.relList.contains('noreferrer')).to.equal(true);
      expect(loading!.textContent).to.equal(`Loading ${filename}…`);
      expect(broken!.textContent).to.equal(`${filename} could not be loaded. Try again`);
      expect(loading!.children.length).to.equal(0);
      expect([...broken!.children].map((c) => `${c.localName}: ${c.textContent}`)).to.deep.equal(['button: Try again'], 'the only element is the button');
    });
    // Only the panel's own images (from blob: URLs), never one from a file name.
    expect(deepQueryAll(el.shadowRoot!, 'img').map((img) => img.getAttribute('src'))).to.deep.equal(PAYLOADS.map(() => imageUrl));
    await expectNothingInjected(el);
    await expect(el).to.be.accessible();
  });
});

// ---------------------------------------------------------------------------------------------
// (c) profile names and the first message in <wcp-incoming>
// ---------------------------------------------------------------------------------------------

describe('xss: profile names and first message in wcp-incoming', () => {
  async function incoming(profileName: string, body: string, contact: CrmContact | null = null) {
    const offer = makeOffer({ customer: { phone: '+14155550100', profileName, waId: '14155550100' } });
    const el = await fixture(html`<div style="width: 320px">
      <wcp-incoming .conversation=${offer} .firstMessage=${makeMessage({ body })} .contact=${contact}></wcp-incoming>
    </div>`);
    const card = el.querySelector('wcp-incoming')!;
    await (card as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    return { wrapper: el, el: card };
  }

  it('shows a hostile WhatsApp profile name and first message as visible text', async () => {
    for (const payload of [...PAYLOADS, LONG]) {
      const { wrapper, el } = await incoming(payload, payload);
      const name = el.shadowRoot!.querySelector('.name');
      const first = el.shadowRoot!.querySelector('.first-message');
      expectVisible(name, 'profile name');
      expectVisible(first, 'first message');
      expect(name!.textContent).to.equal(payload);
      expect(first!.textContent).to.equal(payload);
      expect(name!.children.length + first!.children.length).to.equal(0);
      expect(el.shadowRoot!.querySelector('.phone')!.textContent).to.equal('+14155550100');
      expectContained(el.shadowRoot!.querySelector('.card')!, wrapper, 'notification card');
      expectContained(first!, wrapper, 'first message');
      for (const button of el.shadowRoot!.querySelectorAll('button')) expectContained(button, wrapper, `${button.textContent} button`);
      await expectNothingInjected(el);
    }
    const { el } = await incoming(PWN.svg, PWN.img);
    await expect(el).to.be.accessible();
  });

  it('shows a hostile CRM contact name (authenticated customer) as text', async () => {
    const { el } = await incoming(PWN.img, PWN.script, { id: 'c1', fullName: PWN.svg });
    expect(el.shadowRoot!.querySelector('.name')!.textContent).to.equal(PWN.svg);
    expect(el.shadowRoot!.querySelector('.authenticated')!.textContent).to.equal('Authenticated');
    expect(el.shadowRoot!.querySelector('.first-message')!.textContent).to.equal(PWN.script);
    await expectNothingInjected(el);
    await expect(el).to.be.accessible();
  });
});

// ---------------------------------------------------------------------------------------------
// (e) template variables in the <wcp-template-picker> preview
// ---------------------------------------------------------------------------------------------

describe('xss: template variables in wcp-template-picker', () => {
  it('prefills and previews hostile variables (CRM, agent, typed) as text', async () => {
    const template = makeTemplate({
      name: PWN.iframe,
      body: '<b>Hi</b> {{1}}, this is {{2}} about {{3}} ({{4}}).',
      variables: [
        { key: '1', label: PWN.img, source: 'customer.name' },
        { key: '2', label: 'Agent name', source: 'agent.name' },
        { key: '3', label: 'Case number', source: 'record.ticketnumber' },
        { key: '4', label: 'Note', source: 'record.note' },
      ],
    });
    const context = { customerName: PWN.img, agentName: PWN.script, record: { ticketnumber: PWN.svg, note: PWN.anchor } };
    const el = await fixture<WcpTemplatePicker>(html`<wcp-template-picker .templates=${[template]} .placeholderContext=${context}></wcp-template-picker>`);
    el.show();
    await el.updateComplete;
    const root = el.shadowRoot!;
    const preview = () => root.querySelector('.preview')!;
    const inputs = [...root.querySelectorAll<HTMLInputElement>('input[type="text"]')];

    expect(inputs.map((i) => i.value)).to.deep.equal([PWN.img, PWN.script, PWN.svg, PWN.anchor]);
    expectVisible(preview(), 'preview');
    expect(preview().textContent).to.equal(`<b>Hi</b> ${PWN.img}, this is ${PWN.script} about ${PWN.svg} (${PWN.anchor}).`);
    expect(preview().children).to.have.length(0);
    expect(root.querySelector('.choice')!.textContent).to.contain(PWN.iframe);
    expect(root.querySelector('.field span')!.textContent).to.equal(PWN.img);
    await expectNothingInjected(el);

    // The agent edits a variable: typed markup and replacement patterns stay literal.
    inputs[3]!.value = `${PWN.iframe} $& $1 $\``;
    inputs[3]!.dispatchEvent(new InputEvent('input'));
    inputs[0]!.focus();
    inputs[0]!.select();
    await sendKeys({ type: '<svg/onload=window.__pwned=1>' });
    await el.updateComplete;
    expect(preview().textContent).to.equal(
      `<b>Hi</b> <svg/onload=window.__pwned=1>, this is ${PWN.script} about ${PWN.svg} (${PWN.iframe} $& $1 $\`).`,
    );
    expect(preview().children).to.have.length(0);
    await expectNothingInjected(el);
    await expect(el).to.be.accessible();
  });
});

// ---------------------------------------------------------------------------------------------
// (f) the side pane: customer summary and transcript-search snippets
// ---------------------------------------------------------------------------------------------

describe('xss: customer summary and transcript search in wcp-side-pane', () => {
  const hostileCustomer = { phone: '+14155550100', profileName: PWN.img, waId: '14155550100' };
  const hostileContact: CrmContact = { ...maria, fullName: PWN.svg, accountName: PWN.script, city: RTL, email: PWN.anchor };
  const linkedRecord = { entityType: 'incident', id: 'i-1', name: PWN.iframe };
  const hits: SearchHit[] = PAYLOADS.map((payload, i) => ({
    conversationId: `conv-${i}`,
    messageId: `m-${i}`,
    direction: 'inbound',
    snippet: `my ${payload} svg onerror refund`,
    createdAt: '2025-11-20T08:30:00.000Z',
    customer: { phone: '+447700900123', profileName: payload, waId: null },
  }));
  const part = <K extends keyof HTMLElementTagNameMap>(el: SidePaneElement, tag: K) => el.shadowRoot!.querySelector(tag)!;

  it('shows hostile names in the summary and hostile snippets in search results as text', async () => {
    const previous = [sideConversation({ id: 'conv-old', state: 'closed', customer: hostileCustomer, linkedRecord: { ...linkedRecord, name: PWN.style } })];
    const el = await fixture<SidePaneElement>(html`<wcp-side-pane
      style="width: 360px"
      .conversation=${sideConversation({ customer: hostileCustomer, linkedRecord })}
      .contact=${hostileContact}
      .previousConversations=${previous}
    ></wcp-side-pane>`);
    const summary = part(el, 'wcp-customer-summary');
    await summary.updateComplete;
    const s = summary.shadowRoot!;
    const who = s.querySelector('.who span')!;
    expectVisible(who, 'contact name');
    expect(who.textContent).to.equal(PWN.svg);
    const details = Object.fromEntries([...s.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling!.textContent]));
    expect(details).to.include({ 'Profile name': PWN.img, Account: PWN.script, City: RTL, Email: PWN.anchor });
    expect(s.querySelector('.linked .name')!.textContent).to.equal(PWN.iframe);
    expect(s.querySelector('[part="previous"]')!.textContent).to.contain(PWN.style);
    await expectNothingInjected(el);

    // Search: the pane shows the hits for the query the agent typed, search words marked.
    el.activeTab = 'search';
    await el.updateComplete;
    const search = part(el, 'wcp-transcript-search');
    control(search, 'Search conversations').focus();
    await sendKeys({ type: 'svg onerror' });
    await sendKeys({ press: 'Enter' });
    el.searchHits = hits;
    await el.updateComplete;
    await search.updateComplete;
    const results = [...search.shadowRoot!.querySelectorAll('[part="results"] li')];
    expect(results).to.have.length(hits.length);
    hits.forEach((hit, i) => {
      const who = results[i]!.querySelector('strong')!;
      const snippet = results[i]!.querySelector('.snippet')!;
      expectVisible(snippet, `snippet ${i}`);
      expect(who.textContent).to.equal(hit.customer.profileName);
      expect(snippet.textContent).to.equal(`Customer: ${hit.snippet}`);
      // Only the search words are elements (<mark>), the rest of the snippet is text.
      const elements = [...snippet.querySelectorAll('*')].filter((e) => !e.classList.contains('subtle'));
      expect(elements.every((e) => e.localName === 'mark' && /^(svg|onerror)$/i.test(e.textContent!))).to.equal(true);
      expect(elements.length).to.be.greaterThan(1);
    });
    await expectNothingInjected(el);
    await expect(el).to.be.accessible();
  });

  it('wraps very long unbroken names and snippets inside the pane', async () => {
    const longCustomer = { phone: '+14155550100', profileName: LONG, waId: null };
    const el = await fixture<SidePaneElement>(html`<wcp-side-pane
      style="display: block; width: 360px"
      .conversation=${sideConversation({ customer: longCustomer, linkedRecord: { ...linkedRecord, name: LONG } })}
      .contact=${{ ...maria, fullName: LONG, accountName: LONG }}
      .searchHits=${[{ ...hits[0]!, snippet: LONG, customer: longCustomer }]}
    ></wcp-side-pane>`);
    const summary = part(el, 'wcp-customer-summary');
    await summary.updateComplete;
    for (const selector of ['.who', '.who span', 'dd', '.linked']) {
      for (const node of summary.shadowRoot!.querySelectorAll(selector)) expectContained(node, el, `summary ${selector}`);
    }
    el.activeTab = 'search';
    await el.updateComplete;
    const search = part(el, 'wcp-transcript-search');
    await search.updateComplete;
    for (const selector of ['.hit', 'strong', '.snippet']) expectContained(search.shadowRoot!.querySelector(selector)!, el, `search ${selector}`);
    expect(search.shadowRoot!.querySelector('.snippet')!.textContent).to.equal(`Customer: ${LONG}`);
    await expectNothingInjected(el);
    await expect(el).to.be.accessible();
  });
});

// ---------------------------------------------------------------------------------------------
// (g) the whole panel under a Content-Security-Policy. Runs last: the policy, once added,
// stays for the rest of this page.
// ---------------------------------------------------------------------------------------------

describe('xss: wcp-panel under a strict Content-Security-Policy', () => {
  before(startRelayMock);
  let panel: WcpPanel | undefined;
  const violations: SecurityPolicyViolationEvent[] = [];
  const onViolation = (event: SecurityPolicyViolationEvent) => violations.push(event);
  afterEach(() => {
    panel?.disconnect();
    worker.resetHandlers();
    document.removeEventListener('securitypolicyviolation', onViolation);
  });

  // The policy from the issue; connect-src also names the relay's origin, as a deployment's
  // policy must (the relay is another origin than the CRM page).
  const POLICY = `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self' ${RELAY}`;

  function crm(): CrmPort {
    const unused = () => Promise.reject(new Error('not used in this test'));
    return {
      findContactsByPhone: async (phone) => (phone === '+14155550100' ? [{ id: 'c-1', fullName: PWN.svg, accountName: PWN.script, fields: { ticketnumber: PWN.img } }] : []),
      searchRecords: unused,
      createRecord: unused,
      linkConversation: unused,
      unlinkConversation: unused,
      findConversationLinks: unused,
      openRecord: unused,
      searchKnowledge: async () => [],
    };
  }

  it('mounts with hostile data without a policy violation, injected element or inline style', async () => {
    document.addEventListener('securitypolicyviolation', onViolation);
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = POLICY;
    document.head.append(meta);

    // The policy is in force: an inline script is refused and reported.
    const probe = document.createElement('script');
    probe.textContent = 'window.__cspProbe = 1';
    document.head.append(probe);
    probe.remove();
    await waitUntil(() => violations.length > 0, 'the CSP reports the inline script probe');
    expect(window.__cspProbe).to.equal(undefined);
    expect(violations[0]!.effectiveDirective).to.match(/^script-src/);
    violations.length = 0;
    const documentStyles = document.querySelectorAll('style, link[rel~="stylesheet"]').length;

    const active: Conversation = makeConversation({ customer: { phone: '+14155550100', profileName: PWN.img, waId: '14155550100' } });
    const other = makeConversation({ id: 'conv-2', customer: { phone: '+14155550111', profileName: PWN.script, waId: null } });
    const messages = [
      ...PAYLOADS.map((body) => makeMessage({ body })),
      makeMessage({ body: 'docs: https://contoso.example/help javascript:window.__pwned=1 data:text/html,<script>window.__pwned=1</script>' }),
      makeMessage({ body: '', media: [{ id: 'ME1', contentType: 'image/png', url: '/api/v1/media/ME1', filename: PWN.svg, size: 4 }] }),
    ];
    const offer = makeOffer({ id: 'conv-9', customer: { phone: '+14155550122', profileName: PWN.anchor, waId: null } });
    const firstMessage = makeMessage({ id: 'first', conversationId: 'conv-9', body: PWN.iframe });
    const events = eventsEndpoint();
    worker.use(
      events.handler,
      http.get(`${RELAY}/api/v1/me`, () => HttpResponse.json(makeAgent())),
      http.get(`${RELAY}/api/v1/conversations`, () => HttpResponse.json({ items: [active, other] })),
      http.get(`${RELAY}/api/v1/conversations/:id/messages`, ({ params }) =>
        HttpResponse.json({ items: params.id === 'conv-1' ? messages : [], next: null }),
      ),
      http.get(`${RELAY}/api/v1/quick-replies`, () => HttpResponse.json({ items: [] })),
      http.get(`${RELAY}/api/v1/templates`, () => HttpResponse.json({ items: [makeTemplate()] })),
      http.get(`${RELAY}/api/v1/scripts`, () => HttpResponse.json({ items: [] })),
      http.get(`${RELAY}/api/v1/conversations/:id/notes`, () => HttpResponse.json({ items: [] })),
      http.get(`${RELAY}/api/v1/customers/:phone/conversations`, () => HttpResponse.json({ items: [] })),
      http.get(`${RELAY}/api/v1/media/:id`, () => new HttpResponse(new Uint8Array([137, 80, 78, 71]), { headers: { 'Content-Type': 'image/png' } })),
    );
    const relay = createRelayClient({ baseUrl: RELAY, getToken: async () => devToken(), outboxStorage: null, backoff: { baseMs: 10, maxMs: 40 } });
    panel = await fixture<WcpPanel>(html`<wcp-panel style="height: 900px" .relay=${relay} .crm=${crm()} .phone=${'+14155550100'}></wcp-panel>`);
    await events.waitForConnections(1);
    events.latest.send({ id: '1', type: 'offer', data: { conversationId: 'conv-9', conversation: offer, firstMessage } });
    const root = panel.shadowRoot!;
    await waitUntil(() => deepQueryAll(root, '.first-message').some((p) => p.textContent === PWN.iframe), 'offer shown');
    await waitUntil(() => deepQueryAll(root, 'img[src^="blob:"]').length === 1, 'media shown');
    await waitUntil(() => deepQueryAll(root, '.who span').some((s) => s.textContent === PWN.svg), 'customer summary shown');

    expect(deepQueryAll(root, 'h2').some((h) => h.textContent!.includes(PWN.svg))).to.equal(true); // conversation header: CRM name
    expect(deepQueryAll(root, '[role="tab"]').some((t) => t.textContent!.includes(PWN.script))).to.equal(true); // session tab
    expect(deepQueryAll(root, 'img[src^="blob:"]')[0]!.getAttribute('alt')).to.equal(PWN.svg);
    expect(deepQueryAll(root, 'a[href]').map((a) => a.getAttribute('href'))).to.deep.equal(['https://contoso.example/help']);
    await expectNothingInjected(panel);
    // The oldest hostile bodies are further up than the thread renders rows: the agent scrolls to them.
    const log = deepQueryAll(root, 'wcp-thread')[0]!.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
    agentScrolls(log, 0);
    await waitUntil(() => deepQueryAll(root, '.body').some((p) => p.textContent === PWN.img), 'transcript shown');
    await expectNothingInjected(panel);
    expect(violations.map((v) => `${v.effectiveDirective} ${v.blockedURI}`), 'CSP violations').to.deep.equal([]);

    // Styles come from constructable stylesheets: every shadow root adopts its sheets and
    // holds no <style> or stylesheet link; the page gained no stylesheet either.
    const hosts = [panel, ...deepQueryAll(root, '*')].filter((el) => el.shadowRoot);
    expect(hosts.length).to.be.greaterThan(10);
    for (const host of hosts) {
      expect(host.shadowRoot!.adoptedStyleSheets.length, `${host.localName} adopts its styles`).to.be.greaterThan(0);
      expect(host.shadowRoot!.querySelectorAll('style, link[rel~="stylesheet"]'), `${host.localName} has no <style>`).to.have.length(0);
    }
    expect(document.querySelectorAll('style, link[rel~="stylesheet"]').length).to.equal(documentStyles);
    await expect(panel).to.be.accessible();
    expect(violations, 'no CSP violation during the whole test').to.have.length(0);
  });
});
