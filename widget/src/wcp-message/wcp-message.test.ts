import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { Message } from '@wcp/protocol';
import type { CreateRecordEvent } from '../events/create-record-event.js';
import type { MediaRequestEvent } from '../events/media-request-event.js';
import type { RetryMessageEvent } from '../events/retry-message-event.js';
import type { ShowMessageEvent } from '../events/show-message-event.js';
import { NO_AUTHORS } from '../lib/message-authors.js';
import { makeMessage } from '../test/fixtures.js';
import { ignoreResizeObserverLoopErrors } from '../test/resize-observer.js';
import type { WcpThread } from '../wcp-thread/wcp-thread.js';
import type { WcpMessage } from './wcp-message.js';
import './wcp-message.js';
import '../wcp-thread/wcp-thread.js';

ignoreResizeObserverLoopErrors();

const SELECTORS: Record<string, string> = { group: '[role="group"]', link: 'a[href]', button: 'button' };

/** The element with this role and accessible name (its aria-label, else its text), or null. */
function accessible(root: Element, role: string, name: string): Element | null {
  const nameOf = (e: Element) => e.getAttribute('aria-label') ?? e.textContent!.replace(/\s+/g, ' ').trim();
  return [...root.querySelectorAll(SELECTORS[role]!)].find((e) => nameOf(e) === name) ?? null;
}

async function bubble(message: Message, extra: Partial<WcpMessage> = {}): Promise<WcpMessage> {
  return fixture<WcpMessage>(html`<wcp-message
    .message=${message}
    customer-name="Ana"
    .mediaUrls=${extra.mediaUrls ?? new Map()}
    .quoted=${extra.quoted}
    .question=${extra.question}
    .authors=${extra.authors ?? NO_AUTHORS}
  ></wcp-message>`);
}

const buttonNamed = (el: Element, name: string) =>
  [...el.querySelectorAll('button')].find((b) => b.textContent!.replace(/\s+/g, ' ').trim() === name);

describe('wcp-message', () => {
  it('names each Reply button by the start of its message, so a screen reader tells them apart, without writing the words twice', async () => {
    const short = await bubble(makeMessage({ body: 'Where is my parcel?' }));
    expect(accessible(short, 'button', 'Reply to “Where is my parcel?”'), 'short message').not.to.equal(null);
    const long = await bubble(makeMessage({ body: 'The courier left the parcel at the wrong address, and\nnobody answers the phone there' }));
    expect(accessible(long, 'button', 'Reply to “The courier left the parcel at the wrong…”'), 'cut at 40 characters').not.to.equal(null);
    const photo = await bubble(makeMessage({ body: '', media: [{ id: 'med-1', contentType: 'image/jpeg', filename: null, size: 1000, url: '/api/v1/media/med-1' }] }));
    expect(accessible(photo, 'button', 'Reply to “attachment”'), 'no text').not.to.equal(null);
    // The message's words are on the page once: the name is not text a search for them finds.
    expect(short.textContent!.split('Where is my parcel?').length - 1).to.equal(1);
  });

  it("writes the time of today's messages, and the date with the time of older ones", async () => {
    const now = new Date();
    const today = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 0, 1);
    const earlier = new Date(today.getTime() - 26 * 3_600_000);
    const timeOf = async (createdAt: Date) => {
      const el = await bubble(makeMessage({ createdAt: createdAt.toISOString() }));
      return el.querySelector('time')!.textContent!.trim();
    };
    const time = (d: Date, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(navigator.language, options).format(d);
    expect(await timeOf(today)).to.equal(time(today, { hour: '2-digit', minute: '2-digit' }));
    const older = await timeOf(earlier);
    expect(older).to.equal(time(earlier, { dateStyle: 'medium', timeStyle: 'short' }));
    expect(older).to.contain(String(earlier.getDate()));
  });

  it('shows a shared location as a card with its place, coordinates and an "Open in map" link, and no map image', async () => {
    const el = await bubble(
      makeMessage({
        id: 'loc',
        body: 'Location: London Eye, Riverside Building',
        location: { latitude: 51.5033, longitude: -0.1196, address: 'Riverside Building, County Hall, London SE1 7PB', label: 'London Eye' },
      }),
    );
    expect(accessible(el, 'group', 'Location: London Eye')).not.to.equal(null);
    expect(el.textContent).to.contain('Riverside Building, County Hall, London SE1 7PB');
    expect(el.textContent).to.contain('51.5033, -0.1196');
    expect(el.querySelector('.body'), "the relay's plain-text summary is not shown twice").to.equal(null);
    const link = el.querySelector('a')!;
    expect(accessible(el, 'link', 'Open in map')).not.to.equal(null);
    expect(link.getAttribute('href')).to.equal('https://www.openstreetmap.org/?mlat=51.5033&mlon=-0.1196#map=16/51.5033/-0.1196');
    expect(link.getAttribute('target')).to.equal('_blank');
    expect(link.getAttribute('rel')).to.contain('noopener');
    expect(el.querySelector('img, iframe')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows each shared contact as a card with formatted numbers, creates it in the CRM and copies the number to start a conversation', async () => {
    const vcard = { id: 'ME9', contentType: 'text/vcard', url: '/api/v1/media/ME9', filename: 'contact.vcf', size: 80 };
    const requests: string[] = [];
    const el = await fixture<WcpMessage>(html`<wcp-message
      @wcp-media-request=${(e: MediaRequestEvent) => requests.push(e.media.url)}
      .message=${makeMessage({ id: 'card', body: 'Contact: Bruno Lima (+5511912345678)', media: [vcard], contacts: [{ name: 'Bruno Lima', phones: ['+5511912345678'] }] })}
    ></wcp-message>`);
    expect(accessible(el, 'group', 'Contact: Bruno Lima')).not.to.equal(null);
    expect(el.textContent).to.contain('+55 11 91234 5678');
    expect(accessible(el, 'button', 'Create contact')).not.to.equal(null);
    expect(accessible(el, 'button', 'Start WhatsApp conversation')).not.to.equal(null);

    setTimeout(() => buttonNamed(el, 'Create contact')!.click());
    const created = (await oneEvent(el, 'wcp-create-record')) as CreateRecordEvent;
    expect(created.record).to.deep.equal({ entityType: 'contact', fields: { firstname: 'Bruno', lastname: 'Lima', mobilephone: '+5511912345678' } });
    expect(created.link).to.equal(false);

    const copied: string[] = [];
    const writeText = navigator.clipboard.writeText;
    navigator.clipboard.writeText = async (text: string) => void copied.push(text);
    try {
      buttonNamed(el, 'Start WhatsApp conversation')!.click();
      await waitUntil(() => el.querySelector('[role="status"]')!.textContent!.includes('copied'), 'the agent is told');
    } finally {
      navigator.clipboard.writeText = writeText;
    }
    expect(copied).to.deep.equal(['+5511912345678']);
    expect(el.querySelector('[role="status"]')!.textContent).to.contain('cannot start a new WhatsApp conversation');
    expect(requests, 'the card file itself stays downloadable').to.deep.equal([vcard.url]);
    await expect(el).to.be.accessible();
  });

  it("shows a button tap as the customer's choice, linked to the question it answers", async () => {
    const question = makeMessage({ id: 'q', direction: 'outbound', status: 'read', body: 'Did this solve it?\nTap one', buttons: [{ id: 'yes', title: 'Yes' }] });
    const el = await bubble(makeMessage({ id: 'tap', body: 'Yes', button: { text: 'Yes', payload: 'yes' } }), { question });
    expect(el.querySelector('.choice')!.textContent).to.equal('Chose: Yes');
    const link = el.querySelector<HTMLButtonElement>('button.quote')!;
    expect(link.textContent).to.contain('Did this solve it?');
    expect(link.textContent).not.to.contain('Tap one');
    setTimeout(() => link.click());
    const shown = (await oneEvent(el, 'wcp-show-message')) as ShowMessageEvent;
    expect(shown.messageId).to.equal('q');
    await expect(el).to.be.accessible();

    const alone = await bubble(makeMessage({ body: 'Track my order', button: { text: 'Track my order', payload: 'track_order' } }));
    expect(alone.querySelector('.choice')!.textContent).to.equal('Chose: Track my order');
    expect(alone.querySelector('button.quote')).to.equal(null);
  });

  it("lists an agent reply's quick-reply buttons under it, not as controls", async () => {
    const el = await bubble(makeMessage({ direction: 'outbound', status: 'delivered', body: 'Did this solve it?', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] }));
    const list = el.querySelector('ul.buttons')!;
    expect(list.getAttribute('aria-label')).to.equal('Quick-reply buttons');
    expect([...list.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal(['Yes', 'No']);
    expect(buttonNamed(el, 'Yes')).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('says what the panel cannot show instead of an empty bubble, and marks forwarded messages', async () => {
    const reaction = await bubble(makeMessage({ body: 'The customer sent a WhatsApp message the panel cannot show (reaction).', unsupported: true, messageType: 'reaction' }));
    expect(reaction.querySelector('.message')!.textContent).to.contain('The customer sent a reaction, which the panel cannot show.');
    const unknown = await bubble(makeMessage({ body: '', unsupported: true, messageType: 'order' }));
    expect(unknown.querySelector('.message')!.textContent).to.contain('The customer sent a WhatsApp message the panel cannot show (order).');
    const forwarded = await bubble(makeMessage({ body: 'Contoso doubles loyalty points', forwarded: true }));
    expect(forwarded.querySelector('.forwarded')!.textContent).to.equal('Forwarded');
    await expect(forwarded).to.be.accessible();
  });

  it("explains a failed message in plain words with a link to Twilio's page for the code, and retries", async () => {
    const el = await bubble(
      makeMessage({
        id: 'f',
        direction: 'outbound',
        status: 'undelivered',
        errorCode: 63024,
        errorMessage: 'Invalid message recipient',
        error: { code: 63024, title: "The customer's number is not an active WhatsApp account.", action: 'Confirm the number with the customer, or reach them another way.' },
      }),
    );
    const error = el.querySelector('.error')!;
    expect(error.textContent).to.contain("The customer's number is not an active WhatsApp account.");
    expect(error.textContent).to.contain('Confirm the number with the customer, or reach them another way.');
    const link = error.querySelector('a')!;
    expect(link.textContent).to.equal('Twilio error 63024');
    expect(link.getAttribute('href')).to.equal('https://www.twilio.com/docs/api/errors/63024');
    setTimeout(() => buttonNamed(el, 'Retry')!.click());
    expect(((await oneEvent(el, 'wcp-retry-message')) as RetryMessageEvent).messageId).to.equal('f');
    await expect(el).to.be.accessible();
  });

  it('plays a voice note in an audio player once the panel has its bytes', async () => {
    const note = { id: 'ME3', contentType: 'audio/ogg', url: '/api/v1/media/ME3', filename: null, size: null };
    const requests: string[] = [];
    const el = await fixture<WcpMessage>(html`<wcp-message
      @wcp-media-request=${(e: MediaRequestEvent) => requests.push(e.media.url)}
      .message=${makeMessage({ body: '', media: [note] })}
    ></wcp-message>`);
    await waitUntil(() => requests.length === 1, 'bytes asked for');
    el.mediaUrls = new Map([[note.url, 'blob:http://localhost/voice']]);
    await el.updateComplete;
    const audio = el.querySelector('audio')!;
    expect(audio.hasAttribute('controls')).to.equal(true);
    expect(audio.getAttribute('src')).to.equal('blob:http://localhost/voice');
    expect(audio.getAttribute('aria-label')).to.equal('Audio: audio/ogg');
    await expect(el).to.be.accessible();
  });

  it('puts customer text from every kind into the page as text', async () => {
    const evil = '<img src=x onerror=window.__pwned=1>';
    const el = await bubble(
      makeMessage({
        body: '',
        location: { latitude: 1, longitude: 2, address: evil, label: evil },
        contacts: [{ name: evil, phones: [] }],
        button: { text: evil, payload: null },
        replyTo: { id: null, body: evil },
      }),
    );
    expect(el.querySelector('img')).to.equal(null);
    expect(el.querySelector('.card-title')!.textContent).to.equal(evil);
    expect(el.querySelector('.choice')!.textContent).to.equal(`Chose: ${evil}`);
    expect(el.querySelector('.contact .card-title')!.textContent).to.equal(evil);
  });

  it('quotes the sender and first line of what a reply answers, and links to it only when it is loaded', async () => {
    const original = makeMessage({ id: 'orig', body: 'Where is my order?\nIt was due Monday' });
    const el = await bubble(makeMessage({ direction: 'outbound', status: 'read', body: 'On its way', replyTo: { id: 'orig', body: original.body } }), { quoted: original });
    const quote = el.querySelector<HTMLButtonElement>('button.quote')!;
    expect(quote.querySelector('.quote-sender')!.textContent).to.equal('Ana');
    expect(quote.querySelector('.quote-text')!.textContent).to.equal('Where is my order?');
    setTimeout(() => quote.click());
    expect(((await oneEvent(el, 'wcp-show-message')) as ShowMessageEvent).messageId).to.equal('orig');
    await expect(el).to.be.accessible();

    const unloaded = await bubble(makeMessage({ body: 'Thanks', replyTo: { id: 'older', body: 'Your parcel left the depot' } }));
    expect(unloaded.querySelector('button.quote')).to.equal(null);
    expect(unloaded.querySelector('.quote')!.textContent).to.contain('Your parcel left the depot');
  });

  it("names the colleague who wrote an agent message (a transfer, a consult); the reader's own are theirs", async () => {
    const authors = { selfId: 'agent-2', names: new Map([['agent-1', 'Sam Rivera']]) };
    const label = (el: Element) => el.querySelector('.message')!.textContent!.replace(/\s+/g, ' ').trim();
    const colleagues = await bubble(makeMessage({ direction: 'outbound', status: 'read', agentId: 'agent-1', body: 'Checking your order' }), { authors });
    expect(colleagues.querySelector('.author')!.textContent).to.equal('Sam Rivera:');
    expect(label(colleagues)).to.match(/^Sam Rivera: Checking your order/);
    const mine = await bubble(makeMessage({ direction: 'outbound', status: 'read', agentId: 'agent-2', body: 'Found it' }), { authors });
    expect(mine.querySelector('.author')).to.equal(null);
    expect(label(mine)).to.match(/^You: Found it/);
    const unknown = await bubble(makeMessage({ direction: 'outbound', status: 'read', agentId: 'agent-9', body: 'Hello' }), { authors });
    expect(unknown.querySelector('.author')!.textContent).to.equal('Another agent:');
    // A reply quoting the colleague's message names them, not "You".
    const quoting = makeMessage({ id: 'reply', body: 'Thanks!', replyTo: { id: 'q', body: 'Checking your order' } });
    const quoted = makeMessage({ id: 'q', direction: 'outbound', agentId: 'agent-1', body: 'Checking your order' });
    const el = await bubble(quoting, { quoted, authors });
    expect(el.querySelector('.quote-sender')!.textContent).to.equal('Sam Rivera');
    await expect(colleagues).to.be.accessible();
  });
});

describe('wcp-thread with wcp-message: following a quote', () => {
  it('scrolls to the quoted message, highlights it for a moment and gives it the focus', async () => {
    const start = Date.now() - 3600_000;
    const messages = Array.from({ length: 60 }, (_, i) => makeMessage({ id: `m-${i}`, body: `Message ${i}`, createdAt: new Date(start + i * 30_000).toISOString() }));
    messages.push(makeMessage({ id: 'reply', direction: 'outbound', status: 'read', body: 'About that', replyTo: { id: 'm-3', body: 'Message 3' }, createdAt: new Date().toISOString() }));
    const el = await fixture<WcpThread>(html`<wcp-thread style="height: 400px; width: 360px" .messages=${messages} customer-name="Ana"></wcp-thread>`);
    const row = (id: string) => el.shadowRoot!.querySelector<HTMLElement>(`[data-message-id="${id}"]`);
    await waitUntil(() => row('reply'), 'newest rendered');
    await new Promise((resolve) => setTimeout(resolve, 300)); // the list has settled at the newest message
    expect(row('m-3'), 'the original is far above, not rendered').to.equal(null);

    row('reply')!.querySelector<HTMLButtonElement>('button.quote')!.click();
    await waitUntil(() => row('m-3')?.classList.contains('highlighted'), 'original shown and highlighted');
    const log = el.shadowRoot!.querySelector('[role="log"]')!.getBoundingClientRect();
    const box = row('m-3')!.getBoundingClientRect();
    expect(box.top >= log.top && box.bottom <= log.bottom, 'in view').to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal(row('m-3'));
    await waitUntil(() => !row('m-3')?.classList.contains('highlighted'), 'highlight fades', { timeout: 4000 });
  });
});
