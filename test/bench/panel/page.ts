/**
 * The panel bench page (bundled by esbuild): mounts <wcp-thread> with N fake messages in the
 * protocol's Message shape, or - the baseline - a plain list of N divs. `?n=5000&mode=thread|plain`.
 * Marks: `bench-start` before mounting, `bench-painted` at the first frame after the content
 * rendered (two rAFs after Lit and the virtualizer settled). Exposes the result on window.__bench.
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

async function main() {
  const host = document.getElementById('host')!;
  performance.mark('bench-start');
  let rows = 0;
  let elements = 0;
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
    await frame();
    await frame();
    rows = list.querySelectorAll('.row').length;
    elements = list.querySelectorAll('*').length + 1;
  } else {
    const thread = document.createElement('wcp-thread');
    thread.customerName = 'Ana';
    thread.messages = messages;
    host.append(thread);
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
  const paints = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
  (window as unknown as { __bench: unknown }).__bench = {
    mode,
    n,
    renderMs: measure.duration,
    paintedAt: performance.getEntriesByName('bench-painted')[0]!.startTime,
    firstContentfulPaint: paints['first-contentful-paint'] ?? null,
    rows,
    elements,
  };
}

void main();
