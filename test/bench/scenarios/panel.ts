/**
 * The panel in Chromium: a 5,000-message transcript in <wcp-thread> (virtualized) beside
 * two baselines on the same page build: the thread with 50 messages, and a plain list of
 * 5,000 divs. Each case is loaded fresh `runs` times, the three in turn; medians are reported.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { minifyTemplatesPlugin } from '../../../widget/scripts/minify-templates.mjs';
import { ROOT } from '../lib/procs.ts';
import { median, round } from '../lib/stats.ts';

interface PageResult {
  mode: string;
  n: number;
  paintedMs: number;
  settledMs: number;
  paintedAt: number;
  paintedFrames: number;
  firstContentfulPaint: number | null;
  rows: number;
  elements: number;
}

/**
 * The bench page of the tree at `root`, built into `out` as widget/build.mjs builds the panel
 * (ES2022, minified, templates minified); returns its file URL. compare.ts builds two trees' pages.
 */
export async function buildPanelPage(root: string, out: string): Promise<string> {
  await build({
    entryPoints: [join(root, 'test/bench/panel/page.ts')],
    outfile: join(out, 'page.js'),
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    plugins: [minifyTemplatesPlugin()],
    tsconfig: join(root, 'widget/tsconfig.json'),
    conditions: ['production'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'test/bench/panel/index.html'), join(out, 'index.html'));
  return pathToFileURL(join(out, 'index.html')).href;
}

export async function benchPanel(dir: string, runs = 5) {
  const out = join(dir, 'panel');
  mkdirSync(out, { recursive: true });
  const url = await buildPanelPage(ROOT, out);

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const load = async (mode: string, n: number): Promise<PageResult> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        await page.goto(`${url}?mode=${mode}&n=${n}`);
        await page.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench, undefined, { timeout: 30_000 });
        return (await page.evaluate(() => (window as unknown as { __bench: PageResult }).__bench)) as PageResult;
      } finally {
        await context.close();
      }
    };
    const summary = (mode: string, n: number, results: PageResult[]) => ({
      n,
      mode,
      // Navigation start -> the first frame with the transcript painted.
      firstPaintMs: round(median(results.map((r) => r.paintedAt)), 1),
      // Mounting the content -> the first frame showing it painted (the thread's newest message).
      paintedMs: round(median(results.map((r) => r.paintedMs)), 1),
      /** Frames begun from mounting to the one that showed it (1: the first frame). */
      paintedFrames: median(results.map((r) => r.paintedFrames)),
      // Mounting the content -> settled: layout complete, then two frames (page.ts).
      settledMs: round(median(results.map((r) => r.settledMs)), 1),
      firstContentfulPaintMs: round(median(results.map((r) => r.firstContentfulPaint ?? NaN)), 1),
      rows: median(results.map((r) => r.rows)),
      elements: median(results.map((r) => r.elements)),
      runs,
    });
    // One throwaway load warms Chromium's caches for the bundle.
    await load('thread', 50).catch(() => undefined);
    // The three cases take turns, one load each per round: this machine's speed drifts within
    // a minute, and cases measured one after another (all of one, then all of the next) carried
    // that drift into their ratios.
    const cases = [
      { mode: 'thread', n: 5000, results: [] as PageResult[] },
      { mode: 'thread', n: 50, results: [] as PageResult[] },
      { mode: 'plain', n: 5000, results: [] as PageResult[] },
    ];
    for (let i = 0; i < runs; i++) for (const c of cases) c.results.push(await load(c.mode, c.n));
    const [thread5000, thread50, plain5000] = cases.map((c) => summary(c.mode, c.n, c.results));
    return { thread5000, baselineThread50: thread50, baselinePlain5000: plain5000 };
  } finally {
    await browser.close();
  }
}
