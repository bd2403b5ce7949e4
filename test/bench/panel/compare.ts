/**
 * The panel page of two source trees, loaded alternately in one Chromium: a before/after of the
 * 5,000-message first paint that survives a busy machine better than wall time.
 *
 *   npx tsx test/bench/panel/compare.ts <other tree's root> [rounds]
 *
 * e.g. `git worktree add /tmp/before <commit>` (with `ln -s $PWD/node_modules /tmp/before/`).
 * Each round loads, in alternating order, both trees' page with 5,000 and 50 messages, then the
 * plain 5,000 divs. Per load, from a Chromium trace: wall time mount -> painted (the page's own
 * figure), the renderer main thread's CPU time over the same span (tasks' thread time, clipped
 * to the span), and how many `<wcp-message>` rows were connected by then (work done for rows).
 * Medians are printed, and the budget's ratios for each tree.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { buildPanelPage } from '../scenarios/panel.ts';
import { ROOT } from '../lib/procs.ts';
import { median, round } from '../lib/stats.ts';

const other = process.argv[2];
if (!other) throw new Error('usage: compare.ts <other tree root> [rounds]');
const rounds = Number(process.argv[3] ?? 6);
const trees: Record<string, string> = { this: ROOT, other: resolve(other) };
const dir = mkdtempSync(join(tmpdir(), 'wcp-panel-compare-'));

const urls: Record<string, string> = {};
for (const [name, root] of Object.entries(trees)) {
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  urls[name] = await buildPanelPage(root, out);
}

type TraceEvent = { name: string; cat?: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number };
const results: Record<string, { wall: number[]; cpu: number[]; rows: number[] }> = {};
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
async function load(key: string, url: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const define = customElements.define.bind(customElements);
    customElements.define = (name: string, constructor: CustomElementConstructor, options?: ElementDefinitionOptions) => {
      if (name === 'wcp-message') {
        const connected = constructor.prototype.connectedCallback as (() => void) | undefined;
        constructor.prototype.connectedCallback = function (this: HTMLElement) {
          const w = window as unknown as { __rows?: number };
          w.__rows = (w.__rows ?? 0) + 1;
          connected?.call(this);
        };
      }
      define(name, constructor, options);
    };
  });
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench, undefined, { timeout: 30_000 });
  // Mount -> settled (`bench-painted`); an older tree's page called it renderMs.
  const { settledMs, rows } = await page.evaluate(() => {
    const bench = (window as unknown as { __bench: { settledMs?: number; renderMs?: number } }).__bench;
    return { settledMs: bench.settledMs ?? bench.renderMs!, rows: (window as unknown as { __rows?: number }).__rows ?? 0 };
  });
  const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  await context.close();
  const mark = (name: string) => events.find((e) => e.name === name && e.cat?.includes('user_timing'))!;
  const [start, end] = [mark('bench-start'), mark('bench-painted')];
  let cpu = 0;
  for (const e of events) {
    if (e.pid !== start.pid || e.tid !== start.tid || e.ph !== 'X' || (e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask')) continue;
    const overlap = Math.min(e.ts + e.dur!, end.ts) - Math.max(e.ts, start.ts);
    if (overlap > 0) cpu += ((e.tdur ?? e.dur!) * overlap) / e.dur! / 1000;
  }
  const r = (results[key] ??= { wall: [], cpu: [], rows: [] });
  r.wall.push(settledMs);
  r.cpu.push(cpu);
  r.rows.push(rows);
}

try {
  await load('warm-up', `${urls.this}?mode=thread&n=50`);
  for (let i = 0; i < rounds; i++) {
    for (const name of i % 2 ? ['other', 'this'] : ['this', 'other']) {
      await load(`${name} 5000`, `${urls[name]}?mode=thread&n=5000`);
      await load(`${name} 50`, `${urls[name]}?mode=thread&n=50`);
    }
    await load('plain 5000', `${urls.this}?mode=plain&n=5000`);
  }
} finally {
  await browser.close();
}
const m = (key: string, f: 'wall' | 'cpu' | 'rows') => round(median(results[key]![f]), 1);
for (const key of Object.keys(results).filter((k) => k !== 'warm-up')) {
  console.log(`${key.padEnd(12)} wall ${m(key, 'wall')} ms, CPU ${m(key, 'cpu')} ms, message rows made ${m(key, 'rows')}  (CPU runs: ${results[key]!.cpu.map((c) => Math.round(c)).join(' ')})`);
}
for (const name of ['this', 'other']) {
  const ratio = (f: 'wall' | 'cpu', base: string) => (m(`${name} 5000`, f) / m(base, f)).toFixed(2);
  console.log(`${name.padEnd(6)} 5,000 vs 50: wall ${ratio('wall', `${name} 50`)}x, CPU ${ratio('cpu', `${name} 50`)}x; vs 5,000 divs: wall ${ratio('wall', 'plain 5000')}x, CPU ${ratio('cpu', 'plain 5000')}x`);
}
