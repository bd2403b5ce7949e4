import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, a11ySnapshot } from '@web/test-runner-commands';
import type { Message } from '@wcp/protocol';
import { makeMessage } from '../test/fixtures.js';
import type { MediaRequestEvent } from '../events/media-request-event.js';
import type { ReplyToEvent } from '../events/reply-to-event.js';
import type { RetryMessageEvent } from '../events/retry-message-event.js';
import type { WcpThread } from './wcp-thread.js';
import { ignoreResizeObserverLoopErrors } from '../test/resize-observer.js';
import { agentScrolls } from '../test/scroll.js';
import { recordAnnouncements } from '../test/announcements.js';
import './wcp-thread.js';

ignoreResizeObserverLoopErrors();

async function thread(messages: Message[], extra: Partial<WcpThread> = {}): Promise<WcpThread> {
  const el = await fixture<WcpThread>(html`<wcp-thread
    style="height: 400px; width: 360px"
    .messages=${messages}
    .hasOlder=${extra.hasOlder ?? false}
    .mediaUrls=${extra.mediaUrls ?? new Map()}
    customer-name="Ana"
  ></wcp-thread>`);
  await waitUntil(() => el.shadowRoot!.querySelectorAll('.row').length > 0 || messages.length === 0, 'rows rendered');
  return el;
}

const row = (el: WcpThread, id: string) => el.shadowRoot!.querySelector<HTMLElement>(`[data-message-id="${id}"]`)!;
const rows = (el: WcpThread) => el.shadowRoot!.querySelectorAll('.row');
/** A conversation's 100 newest messages, alternating customer and agent, ids `<prefix>-0` … `<prefix>-99`. */
const page = (conversationId: string, prefix: string) =>
  Array.from({ length: 100 }, (_, i) => makeMessage({ id: `${prefix}-${i}`, conversationId, body: `${prefix} message ${i}`, direction: i % 2 ? 'inbound' : 'outbound' }));
/** Whether the row of message `id` shows, at least in part, inside the transcript's scroller. */
const inView = (el: WcpThread, id: string) => {
  const r = row(el, id)?.getBoundingClientRect();
  const box = el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!.getBoundingClientRect();
  return !!r && r.bottom > box.top && r.top < box.bottom;
};

/**
 * A thread of 5,000 customer messages of uneven length (ids `<prefix>-0` …), shown at its newest
 * and settled: most rows are never measured, so the virtualizer estimates the height of the rest.
 */
async function unevenThread(prefix: string): Promise<WcpThread> {
  const start = Date.now() - 5000 * 60_000;
  const filler = 'Could you check where my parcel is? The tracking page has not changed since Monday. ';
  const messages = Array.from({ length: 5000 }, (_, i) =>
    makeMessage({ id: `${prefix}-${i}`, body: `${i}: ${filler.repeat(1 + (i % 3)).slice(0, 20 + ((i * 37) % 200))}`, createdAt: new Date(start + i * 60_000).toISOString() }),
  );
  const el = await thread(messages);
  await waitUntil(() => inView(el, `${prefix}-4999`), 'newest message in view');
  await new Promise((resolve) => setTimeout(resolve, 300));
  return el;
}

describe('wcp-thread', () => {
  it('is a log named "Conversation transcript" showing customer text as text, with safe links', async () => {
    const el = await thread([
      makeMessage({ id: 'in-1', body: '<img src=x onerror=alert(1)> see https://contoso.com/help and javascript:alert(2)' }),
      makeMessage({ id: 'out-1', direction: 'outbound', body: 'Hello Ana', status: 'read', agentId: 'agent-1' }),
    ]);
    const log = el.shadowRoot!.querySelector('[role="log"]')!;
    expect(log.getAttribute('aria-label')).to.equal('Conversation transcript');
    const inbound = row(el, 'in-1');
    expect(inbound.querySelector('img')).to.equal(null);
    expect(inbound.textContent).to.contain('<img src=x onerror=alert(1)>');
    const links = inbound.querySelectorAll('a');
    expect(links).to.have.length(1);
    expect(links[0]!.getAttribute('href')).to.equal('https://contoso.com/help');
    expect(links[0]!.getAttribute('rel')).to.equal('noopener noreferrer');
    expect(links[0]!.getAttribute('target')).to.equal('_blank');
    expect(row(el, 'out-1').classList.contains('outbound')).to.equal(true);
    expect(row(el, 'out-1').querySelector('time')).not.to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows delivery ticks and a failed message with Twilio reason and Retry', async () => {
    const el = await thread([
      makeMessage({ id: 's', direction: 'outbound', status: 'sent' }),
      makeMessage({ id: 'd', direction: 'outbound', status: 'delivered' }),
      makeMessage({ id: 'r', direction: 'outbound', status: 'read' }),
      makeMessage({ id: 'f', direction: 'outbound', status: 'failed', errorCode: 63016, errorMessage: 'Outside the allowed window' }),
    ]);
    const tick = (id: string) => row(el, id).querySelector('[role="img"]')?.getAttribute('title');
    expect(tick('s')).to.equal('Sent');
    expect(tick('d')).to.equal('Delivered');
    expect(tick('r')).to.equal('Read');
    // Said once: named by its title, with no description repeating it.
    const delivered = [] as { name?: string; description?: string }[];
    const walk = (node: { role?: string; name?: string; description?: string; children?: unknown[] }) => {
      if ((node.role === 'img' || node.role === 'image') && node.name === 'Delivered') delivered.push(node);
      (node.children as (typeof node)[] | undefined)?.forEach(walk);
    };
    walk((await a11ySnapshot({})) as unknown as Parameters<typeof walk>[0]);
    expect(delivered).to.have.length(1);
    expect(delivered[0]!.description ?? '').to.equal('');
    expect(row(el, 'f').textContent).to.contain('Outside the allowed window (63016)');
    const retry = [...row(el, 'f').querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Retry')!;
    setTimeout(() => retry.click());
    const event = (await oneEvent(el, 'wcp-retry-message')) as RetryMessageEvent;
    expect(event.messageId).to.equal('f');
    await expect(el).to.be.accessible();
  });

  it('asks for media bytes, then shows images inline and documents as links', async () => {
    const image = { id: 'ME1', contentType: 'image/jpeg', url: '/api/v1/media/ME1', filename: 'photo.jpg', size: 1000 };
    const pdf = { id: 'ME2', contentType: 'application/pdf', url: '/api/v1/media/ME2', filename: 'invoice.pdf', size: 2048 };
    const audio = { id: 'ME3', contentType: 'audio/ogg', url: '/api/v1/media/ME3', filename: null, size: null };
    const requests: string[] = [];
    const el = await fixture<WcpThread>(html`<wcp-thread
      style="height: 400px"
      @wcp-media-request=${(e: MediaRequestEvent) => requests.push(e.media.url)}
      .messages=${[makeMessage({ id: 'm', body: '', media: [image, pdf, audio] })]}
    ></wcp-thread>`);
    await waitUntil(() => requests.length === 3, 'three media requests');
    expect(row(el, 'm').textContent).to.contain('Loading photo.jpg');
    el.mediaUrls = new Map([
      [image.url, 'blob:http://localhost/1'],
      [pdf.url, 'blob:http://localhost/2'],
      [audio.url, 'blob:http://localhost/3'],
    ]);
    await el.updateComplete;
    await waitUntil(() => row(el, 'm').querySelector('img'), 'image shown');
    expect(row(el, 'm').querySelector('img')!.getAttribute('src')).to.equal('blob:http://localhost/1');
    expect(row(el, 'm').querySelector('img')!.getAttribute('alt')).to.equal('photo.jpg');
    const link = row(el, 'm').querySelector('a')!;
    expect(link.getAttribute('href')).to.equal('blob:http://localhost/2');
    expect(link.textContent).to.contain('invoice.pdf (2 KB)');
    expect(row(el, 'm').querySelector('audio')!.getAttribute('src')).to.equal('blob:http://localhost/3');
    expect(requests).to.have.length(3);
    await expect(el).to.be.accessible();
  });

  it('shows reply-to quotes and raises a reply for a message', async () => {
    const original = makeMessage({ id: 'q1', body: 'Where is my order?' });
    const el = await thread([
      original,
      makeMessage({ id: 'a1', direction: 'outbound', status: 'delivered', body: 'On its way', replyTo: { id: 'q1', body: 'Where is my order?' } }),
    ]);
    expect(row(el, 'a1').querySelector('.quote')!.textContent).to.contain('Where is my order?');
    const reply = row(el, 'q1').querySelector<HTMLButtonElement>('button.reply')!;
    setTimeout(() => reply.click());
    const event = (await oneEvent(el, 'wcp-reply-to')) as ReplyToEvent;
    expect(event.message.id).to.equal('q1');
    await expect(el).to.be.accessible();
  });

  it("scrolls the agent's own new message into view in the frame that first paints it", async () => {
    const start = Date.now() - 60 * 60_000;
    const messages = Array.from({ length: 40 }, (_, i) => makeMessage({ id: `m-${i}`, body: `Message ${i}`, createdAt: new Date(start + i * 60_000).toISOString() }));
    const el = await thread(messages);
    const log = el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
    const inView = (target: HTMLElement) => {
      const box = target.getBoundingClientRect();
      const view = log.getBoundingClientRect();
      return box.height > 0 && box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
    };
    await waitUntil(() => row(el, 'm-39') && inView(row(el, 'm-39')), 'newest message in view');
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Each frame, after its animation callbacks and layout, just before it paints (a resize
    // observer's moment), note whether the new message is rendered and where.
    const frames: ('absent' | 'in view' | 'out of view')[] = [];
    const probe = document.body.appendChild(document.createElement('div'));
    const observer = new ResizeObserver(() => {
      const target = row(el, 'mine');
      frames.push(!target ? 'absent' : inView(target) ? 'in view' : 'out of view');
    });
    observer.observe(probe);
    let sampling = true;
    const tick = () => {
      probe.style.width = `${(frames.length % 2) + 1}px`;
      if (sampling) requestAnimationFrame(tick);
    };
    requestAnimationFrame(() => {
      el.messages = [...messages, makeMessage({ id: 'mine', direction: 'outbound', status: 'queued', body: 'A reply\nover\nseveral\nlines', createdAt: new Date().toISOString() })];
      tick();
    });
    await waitUntil(() => frames.length >= 20, 'frames sampled');
    sampling = false;
    observer.disconnect();
    probe.remove();
    const painted = frames.filter((f) => f !== 'absent');
    expect(painted.length, frames.join(', ')).to.be.greaterThan(0);
    expect(painted[0], frames.join(', ')).to.equal('in view');
    expect(painted.every((f) => f === 'in view'), frames.join(', ')).to.equal(true);
  });

  it("paints the agent's send in view in the frame of the click, before any answer, and keeps one row when the relay has it", async () => {
    const start = Date.now() - 5000 * 60_000;
    const messages = Array.from({ length: 5000 }, (_, i) =>
      makeMessage({ id: `t-${i}`, body: `Message ${i}`, direction: i % 3 ? 'inbound' : 'outbound', createdAt: new Date(start + i * 60_000).toISOString() }),
    );
    const el = await thread(messages);
    const log = el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
    const inView = (target: Element | null) => {
      if (!target) return false;
      const box = target.getBoundingClientRect();
      const view = log.getBoundingClientRect();
      return box.height > 0 && box.top < view.bottom && box.bottom > view.top;
    };
    await waitUntil(() => inView(row(el, 't-4999')), 'newest message in view');
    await new Promise((resolve) => setTimeout(resolve, 300));

    for (const attempt of [1, 2, 3]) {
      const body = `My reply ${attempt}\nover two lines`;
      const pending = { ...makeMessage({ id: `pending:c${attempt}`, direction: 'outbound', status: 'queued', body, createdAt: new Date().toISOString() }), pending: true };
      // The click: the panel hands the thread its pending send at once (no network in between).
      const before = el.messages;
      const frame = new Promise<boolean>((resolve) =>
        requestAnimationFrame(() => {
          // The next frame's animation callbacks: layout is up to date when read, the frame paints next.
          resolve(inView(el.shadowRoot!.querySelector(`[data-message-id="pending:c${attempt}"]`)));
        }),
      );
      el.messages = [...before, pending];
      expect(await frame, `send ${attempt} in view in the first frame`).to.equal(true);
      // The relay's answer (or its echo on the stream) replaces the pending entry: one row, no jump,
      // and the 5,000 rows not laid out again for it (the virtualizer keeps its list; it tells of
      // every laying out with `rangeChanged`).
      await new Promise((resolve) => setTimeout(resolve, 50));
      const virtualizer = el.shadowRoot!.querySelector('lit-virtualizer') as HTMLElement & { items: unknown[] };
      const items = virtualizer.items;
      let relaid = 0;
      const count = () => relaid++;
      virtualizer.addEventListener('rangeChanged', count);
      const saved = makeMessage({ id: `sent-${attempt}`, direction: 'outbound', status: 'sent', body, createdAt: new Date().toISOString() });
      el.messages = [...before, saved];
      await waitUntil(() => row(el, `sent-${attempt}`) && inView(row(el, `sent-${attempt}`)), 'the saved message in view');
      expect(el.shadowRoot!.querySelectorAll(`[data-message-id="pending:c${attempt}"]`).length, 'the pending row gone').to.equal(0);
      expect([...rows(el)].filter((r) => r.textContent!.includes(`My reply ${attempt}`)).length, 'exactly one row').to.equal(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      virtualizer.removeEventListener('rangeChanged', count);
      expect(virtualizer.items, 'the same list of rows').to.equal(items);
      expect(relaid, 'not laid out again').to.equal(0);
      expect(inView(row(el, `sent-${attempt}`)), 'still in view').to.equal(true);
    }
  });

  it("keeps the agent's send in view in a long thread of uneven messages, with no answer to pull it back", async () => {
    // Rows of different heights: most of 5,000 are never measured, so the virtualizer's estimate of
    // the thread's height moves as rows are measured — the view must stay at the newest through it.
    const el = await unevenThread('u');
    for (const attempt of [1, 2, 3, 4, 5, 6]) {
      const pending = { ...makeMessage({ id: `pending:u${attempt}`, direction: 'outbound', status: 'queued', body: `Reply ${attempt}`, createdAt: new Date().toISOString() }), pending: true };
      el.messages = [...el.messages, pending];
      const seen: boolean[] = [];
      for (let frame = 0; frame < 15; frame++) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        seen.push(inView(el, `pending:u${attempt}`));
      }
      expect(seen.slice(1).every(Boolean), `send ${attempt} in view in every frame: ${seen.join(', ')}`).to.equal(true);
    }
  });

  it('grows a long thread of uneven messages by the height of a send alone, not by a new guess at the rows never shown', async () => {
    // 5,000 rows of different heights, ~25 of them ever measured: the stock layout took the
    // thread's height as rows × the average measured, so a short reply after long messages took
    // thousands of pixels off it, and the virtualizer corrected the scroll and laid out again.
    const el = await unevenThread('g');
    const scroller = el.shadowRoot!.querySelector('lit-virtualizer')!;
    for (const attempt of [1, 2, 3]) {
      const height = scroller.scrollHeight;
      el.messages = [...el.messages, makeMessage({ id: `g-reply-${attempt}`, direction: 'outbound', status: 'queued', body: `Reply ${attempt}`, createdAt: new Date().toISOString() })];
      const growth: number[] = [];
      for (let frame = 0; frame < 10; frame++) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        growth.push(scroller.scrollHeight - height);
      }
      const sent = row(el, `g-reply-${attempt}`).getBoundingClientRect().height;
      // Before it is measured the new row counts as the estimate of an unmeasured one; then as itself.
      expect(growth.every((g) => g > 0 && g < 300), `send ${attempt}: growth per frame ${growth.join(', ')}`).to.equal(true);
      expect(Math.abs(growth.at(-1)! - sent), `send ${attempt}: grew ${growth.at(-1)} px for a ${sent} px row`).to.be.lessThan(2);
      expect(inView(el, `g-reply-${attempt}`)).to.equal(true);
    }
  });

  it("shows a status change on that message's row alone: no row made again, the list not laid out again, the view kept at the newest", async () => {
    const start = Date.now() - 5000 * 60_000;
    const messages: Message[] = Array.from({ length: 5000 }, (_, i) =>
      makeMessage({ id: `st-${i}`, body: `Message ${i}`, direction: i % 2 ? 'outbound' : 'inbound', status: i % 2 ? 'sent' : 'received', createdAt: new Date(start + i * 60_000).toISOString() }),
    );
    // The newest quotes the agent's message before it: its quote link must follow that message's copies.
    messages[4999] = { ...messages[4999]!, replyTo: { id: 'st-4997', body: 'Message 4997' } };
    const el = await thread(messages, { hasOlder: true });
    const log = el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
    const virtualizer = el.shadowRoot!.querySelector('lit-virtualizer') as HTMLElement & { items: unknown[] };
    const newestInView = () => {
      const newest = row(el, 'st-4999')?.getBoundingClientRect();
      const view = log.getBoundingClientRect();
      return !!newest && newest.height > 0 && newest.top >= view.top - 1 && newest.bottom <= view.bottom + 1;
    };
    await waitUntil(newestInView, 'at the newest message');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const scrolled = log.scrollTop;
    const tick = (id: string) => row(el, id).querySelector('[role="img"]')?.getAttribute('title');
    expect(tick('st-4997')).to.equal('Sent');
    const shown = new Map([...rows(el)].map((r) => [r.getAttribute('data-message-id')!, r]));
    expect(shown.size).to.be.greaterThan(3);
    // The virtualizer tells of every laying out of its items (a new list, or another range) with `rangeChanged`.
    const items = virtualizer.items;
    let relaid = 0;
    virtualizer.addEventListener('rangeChanged', () => relaid++);

    // The relay's `delivered` for st-4997: the panel hands in a new array with a new copy of that one message.
    const delivered = { ...messages[4997]!, status: 'delivered' as const };
    el.messages = messages.map((m) => (m.id === 'st-4997' ? delivered : m));
    await waitUntil(() => tick('st-4997') === 'Delivered', 'the new tick shown');
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(virtualizer.items, 'the same list of rows').to.equal(items);
    expect(relaid, 'not laid out again').to.equal(0);
    for (const [id, element] of shown) expect(row(el, id), `${id} the same element`).to.equal(element);
    expect(newestInView(), 'still at the newest message').to.equal(true);
    expect(log.scrollTop, 'not scrolled').to.equal(scrolled);
    const quoting = row(el, 'st-4999').closest('wcp-message') as HTMLElement & { quoted?: Message };
    expect(quoting.quoted, "the quote points at the message's current copy").to.equal(delivered);
    // What scrolled out of the range shows its current copy when it comes back.
    el.messages = el.messages.map((m) => (m.id === 'st-1' ? { ...m, status: 'read' as const } : m));
    await el.updateComplete;
    agentScrolls(log, 0);
    await waitUntil(() => row(el, 'st-1'), 'the top rendered');
    expect(tick('st-1')).to.equal('Read');
  });

  it('keeps a 5,000-message thread to a few DOM nodes, shows the newest and asks for older pages at the top', async () => {
    const start = Date.now() - 5000 * 60_000;
    const messages = Array.from({ length: 5000 }, (_, i) =>
      makeMessage({ id: `bulk-${i}`, body: `Bulk message ${i}`, createdAt: new Date(start + i * 60_000).toISOString() }),
    );
    const el = await thread(messages, { hasOlder: true });
    await waitUntil(() => row(el, 'bulk-4999'), 'newest message rendered');
    expect(rows(el).length).to.be.greaterThan(0).and.lessThan(150);

    let asked = 0;
    el.addEventListener('wcp-load-older', () => asked++);
    // The agent scrolls to the top with the keyboard (again if the first press landed
    // while the virtualizer was still settling the initial pin to the newest message).
    el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!.focus();
    for (let press = 0; press < 10 && asked === 0; press++) {
      await sendKeys({ press: 'Home' });
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(asked).to.be.greaterThan(0);
    expect(rows(el).length).to.be.lessThan(150);
    await expect(el).to.be.accessible();
  });

  it('opens a long conversation at its newest message, with older pages loaded above keeping the place', async () => {
    const start = Date.now() - 5000 * 60_000;
    const page = (from: number) =>
      Array.from({ length: 50 }, (_, i) => makeMessage({ id: `m-${from + i}`, body: `Message ${from + i}`, createdAt: new Date(start + (from + i) * 60_000).toISOString() }));
    // The panel answers a load-older request with the previous page, as it does from the relay.
    let oldest = 4950;
    const el = await thread(page(oldest), { hasOlder: true });
    el.addEventListener('wcp-load-older', () => {
      if (oldest === 0) return;
      oldest -= 50;
      el.messages = [...page(oldest), ...el.messages];
    });
    await waitUntil(() => inView(el, 'm-4999'), 'newest message in view');
    // It stays there: no older page loaded on open pulls the view up to the top of a page.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(inView(el, 'm-4999'), 'still at the newest message').to.equal(true);
  });

  it('shows a "new messages" marker when the agent has scrolled up and a customer message arrives', async () => {
    const messages = Array.from({ length: 60 }, (_, i) => makeMessage({ id: `n-${i}`, body: `Line ${i}` }));
    const el = await thread(messages);
    await waitUntil(() => row(el, 'n-59'), 'newest rendered');
    const log = el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Moved without a wheel, key or touch (a screen reader's cursor, find in page): the view stays there.
    log.scrollTop = 0;
    await waitUntil(() => row(el, 'n-0'), 'scrolled to the top');
    await new Promise((resolve) => setTimeout(resolve, 200));
    el.messages = [...messages, makeMessage({ id: 'n-new', body: 'Are you there?' })];
    await waitUntil(() => el.shadowRoot!.querySelector('button.new-messages'), 'marker shown');
    const marker = el.shadowRoot!.querySelector<HTMLButtonElement>('button.new-messages');
    expect(marker!.textContent).to.contain('New messages');
    expect(log.scrollTop).to.be.lessThan(200); // the agent's place is kept
    marker!.click();
    await waitUntil(() => !el.shadowRoot!.querySelector('button.new-messages') && row(el, 'n-new'), 'at the newest, marker gone');
    await expect(el).to.be.accessible();
  });

  it('tells a screen reader of a new customer message alone: not the rows it scrolls past, an older page, the agent\'s own send or another transcript', async () => {
    const start = Date.now() - 200 * 60_000;
    const line = (id: string, i: number, direction: 'inbound' | 'outbound' = i % 2 ? 'inbound' : 'outbound') =>
      makeMessage({ id: `${id}-${i}`, conversationId: id, body: `${id} line ${i}`, direction, createdAt: new Date(start + i * 60_000).toISOString() });
    const messages = Array.from({ length: 60 }, (_, i) => line('ana', i + 40));
    const el = await thread(messages, { hasOlder: true });
    el.addEventListener(
      'wcp-load-older',
      () => {
        // The whole history: no page above it.
        el.messages = [...Array.from({ length: 40 }, (_, i) => line('ana', i)), ...el.messages];
        el.hasOlder = false;
      },
      { once: true },
    );
    await waitUntil(() => inView(el, 'ana-99'), 'newest in view');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const heard = recordAnnouncements(el.shadowRoot!);

    // Up to the top: the virtualizer renders the rows on the way, and the page above loads.
    const log = el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
    for (const top of [1500, 800, 0]) {
      agentScrolls(log, top);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    // The page may arrive after the last scroll (a loaded machine), the view then held where it was: up again.
    await waitUntil(() => row(el, 'ana-0') || (agentScrolls(log, 0), false), 'the older page shown');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard.texts, 'read out while scrolling up').to.deep.equal([]);

    el.messages = [...el.messages, makeMessage({ id: 'ana-new', conversationId: 'ana', body: 'Is my parcel on its way?', createdAt: new Date().toISOString() })];
    await waitUntil(() => heard.texts.length > 0, 'something read out');
    el.messages = [...el.messages, makeMessage({ id: 'ana-reply', conversationId: 'ana', direction: 'outbound', body: 'It left this morning.' })];
    await new Promise((resolve) => setTimeout(resolve, 300));
    el.messages = Array.from({ length: 30 }, (_, i) => line('bob', i));
    el.customerName = 'Bob';
    await waitUntil(() => row(el, 'bob-29'), "Bob's transcript shown");
    await new Promise((resolve) => setTimeout(resolve, 300));
    heard.stop();
    expect(heard.texts, 'everything read out').to.deep.equal(['Ana: Is my parcel on its way?']);
    await expect(el).to.be.accessible();
  });

  it('switching from a 5,000-message conversation to a short one, its name changing with it, shows the short one whole without a render error', async () => {
    const conversation = (id: string, length: number) => Array.from({ length }, (_, i) => makeMessage({ id: `${id}-${i}`, conversationId: id, body: `${id} message ${i}` }));
    const long = conversation('long', 5000);
    const short = conversation('short', 50);
    const el = await thread(long);
    await waitUntil(() => inView(el, 'long-4999'), 'the long one at its newest');
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const round of [1, 2]) {
      // As the panel does on a tab switch: the other transcript, then (its next render) the other
      // customer's name, before the virtualizer has laid the new list out. An uncaught render
      // error here fails the test.
      el.messages = short;
      await el.updateComplete;
      el.customerName = `Short ${round}`;
      await waitUntil(() => inView(el, 'short-49'), `round ${round}: the short one at its newest`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const ids = [...rows(el)].map((r) => r.getAttribute('data-message-id')!);
      expect(ids.every((id) => id.startsWith('short-')), ids.join(', ')).to.equal(true);
      el.messages = long;
      await el.updateComplete;
      el.customerName = `Long ${round}`;
      await waitUntil(() => inView(el, 'long-4999'), `round ${round}: back at the long one's newest`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  it('switching to another conversation shows its newest message, asks for no older page and counts nothing as new', async () => {
    const el = await thread(page('c-a', 'a'), { hasOlder: true });
    const log = () => el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
    await waitUntil(() => inView(el, 'a-99'), 'newest of the first conversation in view');
    // The agent reads further up in this one, then switches tabs.
    await new Promise((resolve) => setTimeout(resolve, 200));
    agentScrolls(log(), 0);
    await waitUntil(() => row(el, 'a-0'), 'scrolled up');
    await new Promise((resolve) => setTimeout(resolve, 200));
    let asked = 0;
    el.addEventListener('wcp-load-older', () => asked++);
    el.messages = page('c-b', 'b');
    await waitUntil(() => inView(el, 'b-99'), "the other conversation's newest message in view");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(inView(el, 'b-99'), 'still at its newest message').to.equal(true);
    expect(el.shadowRoot!.querySelector('button.new-messages'), 'nothing counted as new').to.equal(null);
    expect(asked, 'no older page asked for').to.equal(0);
  });

  it('coming back to a conversation left scrolled up shows the message the agent was reading; one left at its newest, its newest', async () => {
    const a = page('c-a', 'a');
    const b = page('c-b', 'b');
    const el = await thread(a);
    const log = () => el.shadowRoot!.querySelector<HTMLElement>('[role="log"]')!;
    await waitUntil(() => inView(el, 'a-99'), 'a at its newest');
    await new Promise((resolve) => setTimeout(resolve, 200));
    agentScrolls(log(), 0);
    await waitUntil(() => inView(el, 'a-0'), 'the agent scrolled a to its top');
    await new Promise((resolve) => setTimeout(resolve, 200));

    el.messages = b; // b is left at its newest
    await waitUntil(() => inView(el, 'b-99'), 'b at its newest');
    await new Promise((resolve) => setTimeout(resolve, 200));
    el.messages = a;
    await waitUntil(() => inView(el, 'a-0'), 'a back where the agent was reading');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([inView(el, 'a-0'), inView(el, 'a-99')], 'a: its first message in view, not its newest').to.deep.equal([true, false]);

    el.messages = b;
    await waitUntil(() => inView(el, 'b-99'), 'b back at its newest');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inView(el, 'b-99'), 'b still at its newest').to.equal(true);
  });

  it('a conversation whose older pages were loaded without the agent scrolling comes back at its newest message', async () => {
    const page = (conversationId: string, prefix: string, from = 0) =>
      Array.from({ length: 50 }, (_, i) => makeMessage({ id: `${prefix}-${from + i}`, conversationId, body: `${prefix} message ${from + i}` }));
    const a = page('c-a', 'a', 50);
    const el = await thread(a, { hasOlder: true });
    await waitUntil(() => inView(el, 'a-99'), 'a at its newest');
    el.messages = [...page('c-a', 'a'), ...a];
    el.hasOlder = false;
    await waitUntil(() => row(el, 'a-0') || inView(el, 'a-50'), 'the older page above');
    await new Promise((resolve) => setTimeout(resolve, 200));
    el.messages = page('c-b', 'b');
    await waitUntil(() => inView(el, 'b-49'), 'b at its newest');
    el.messages = [...page('c-a', 'a'), ...a];
    await waitUntil(() => inView(el, 'a-99'), 'a back at its newest');
  });
});
