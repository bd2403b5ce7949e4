/**
 * The panel bench page (bundled by esbuild): mounts <wcp-thread> with N fake messages in the
 * protocol's Message shape, or - the baseline - a plain list of N divs. `?n=5000&mode=thread|plain`.
 * Two times from mounting (`bench-start`):
 * - painted: the end of the first frame in which the content the agent looks for is on screen —
 *   the thread's newest message (it opens there), the plain list's first row. "The end of a
 *   frame" as the felt bench's probe has it: a task queued from that frame's animation callback
 *   runs after the frame's paint.
 * - settled (`bench-painted`, the figure earlier sessions reported as "first paint"): two frames
 *   after Lit and the virtualizer report their layout complete — the virtualizer resolves that
 *   promise only two frames after the last size change it measured, so this counts at least
 *   four frames of waiting on top of the work.
 * Exposes the result on window.__bench.
 */
import type { Message } from '@wcp/protocol';
import '../../../widget/src/wcp-thread/wcp-thread.ts';

const params = new URLSearchParams(location.search);
const n = Number(params.get('n') ?? 5000);
const mode = params.get('mode') ?? 'thread';
const conversationId = 'cv_bench';
const start = Date.parse('2025-01-06T09:00:00Z');
const WORDS = 'order delivery refund invoice tracking parcel address payment thanks please when where status courier'.split(' ');

function body(i: number): string {
  const words = 4 + (i % 23);
  let text = '';
  for (let w = 0; w < words; w++) text += `${WORDS[(i * 7 + w * 3) % WORDS.length]} `;
  return i % 50 === 0 ? `${text}see https://example.com/orders/${i}` : text.trim();
}

const messages: Message[] = Array.from({ length: n }, (_, i) => {
  const outbound = i % 3 === 2;
  return {
    id: `msg_${String(i).padStart(6, '0')}`,
    conversationId,
    direction: outbound ? 'outbound' : 'inbound',
    body: body(i),
    status: outbound ? (['sent', 'delivered', 'read'] as const)[i % 3]! : 'received',
    errorCode: null,
    errorMessage: null,
    media: [],
    replyTo: i % 40 === 39 ? { id: `msg_${String(i - 5).padStart(6, '0')}`, body: body(i - 5) } : null,
    template: null,
    agentId: outbound ? 'agent-1' : null,
    createdAt: new Date(start + i * 45_000).toISOString(),
  } as Message;
});

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** Whether `el` shows inside the window and inside `scroller` (which clips it). */
function onScreen(el: Element, scroller: Element | null | undefined): boolean {
  const r = el.getBoundingClientRect();
  const clip = scroller?.getBoundingClientRect() ?? { top: 0, left: 0, bottom: innerHeight, right: innerWidth };
  const top = Math.max(0, clip.top);
  const bottom = Math.min(innerHeight, clip.bottom);
  return r.height > 0 && r.bottom > top && r.top < bottom && r.right > Math.max(0, clip.left) && r.left < Math.min(innerWidth, clip.right);
}

/**
 * Resolves at the end of the first frame in which `find()` is on screen (inside `scroller()`):
 * performance.now() then, and how many frames began since the call (1: the first showed it).
 */
function paintedWhen(find: () => Element | null | undefined, scroller: () => Element | null | undefined = () => null): Promise<{ at: number; frames: number }> {
  let frames = 0;
  return new Promise((resolve) => {
    const check = () => {
      frames++;
      const el = find();
      if (!el || !onScreen(el, scroller())) return void requestAnimationFrame(check);
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve({ at: performance.now(), frames });
      channel.port2.postMessage(0);
    };
    requestAnimationFrame(check);
  });
}

async function main() {
  const host = document.getElementById('host')!;
  performance.mark('bench-start');
  let rows = 0;
  let elements = 0;
  let painted: Promise<{ at: number; frames: number }>;
  if (mode === 'plain') {
    const list = document.createElement('div');
    list.setAttribute('role', 'log');
    list.className = 'plain';
    for (const m of messages) {
      const row = document.createElement('div');
      row.className = 'row';
      row.textContent = m.body;
      list.append(row);
    }
    host.append(list);
    painted = paintedWhen(() => list.firstElementChild);
    await frame();
    await frame();
    rows = list.querySelectorAll('.row').length;
    elements = list.querySelectorAll('*').length + 1;
  } else {
    const thread = document.createElement('wcp-thread');
    thread.customerName = 'Ana';
    thread.messages = messages;
    host.append(thread);
    const newest = `[data-message-id="${messages.at(-1)!.id}"]`;
    painted = paintedWhen(
      () => thread.shadowRoot?.querySelector(newest),
      () => thread.shadowRoot?.querySelector('lit-virtualizer'),
    );
    await thread.updateComplete;
    const virtualizer = thread.shadowRoot!.querySelector('lit-virtualizer') as (HTMLElement & { updateComplete?: Promise<unknown>; layoutComplete?: Promise<unknown> }) | null;
    await virtualizer?.updateComplete;
    await virtualizer?.layoutComplete?.catch(() => undefined);
    await frame();
    await frame();
    rows = thread.shadowRoot!.querySelectorAll('[data-message-id]').length;
    elements = thread.shadowRoot!.querySelectorAll('*').length;
  }
  performance.mark('bench-painted');
  const measure = performance.measure('bench', 'bench-start', 'bench-painted');
  const { at: paintedAt, frames: paintedFrames } = await painted;
  const paints = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
  (window as unknown as { __bench: unknown }).__bench = {
    mode,
    n,
    paintedMs: paintedAt - measure.startTime,
    settledMs: measure.duration,
    paintedAt,
    paintedFrames,
    firstContentfulPaint: paints['first-contentful-paint'] ?? null,
    rows,
    elements,
  };
}

void main();
