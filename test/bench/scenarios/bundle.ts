/** The PCF bundle gzipped, beside the widget bundle alone (what the control adds on top). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../lib/procs.ts';
import { round } from '../lib/stats.ts';

function npmBuild(workspace: string) {
  const r = spawnSync('npm', ['run', 'build', '-w', workspace], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build -w ${workspace} failed:\n${r.stdout}${r.stderr}`);
}

const gz = (file: string) => {
  const bytes = readFileSync(file);
  return { bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
};

export function benchBundle(opts: { build: boolean }) {
  // A failing build (the tree is being edited) is reported, and the last built bundles are
  // measured instead, marked stale, rather than losing the figure.
  let buildError: string | null = null;
  if (opts.build) {
    try {
      npmBuild('widget');
      npmBuild('pcf');
    } catch (error) {
      buildError = ((error as Error).message.match(/(✘ \[ERROR\].*|error TS\d+.*|pcf build FAILED.*)/)?.[0] ?? (error as Error).message).slice(0, 200);
    }
  }
  const pcf = gz(join(ROOT, 'pcf/out/controls/WhatsAppPanel/bundle.js'));
  const widget = gz(join(ROOT, 'widget/dist/wcp-panel.js'));
  const bundle = readFileSync(join(ROOT, 'pcf/out/controls/WhatsAppPanel/bundle.js'), 'utf8');
  return {
    built: opts.build && buildError === null,
    stale: buildError !== null || !opts.build,
    buildError,
    pcfGzipKB: round(pcf.gzipBytes / 1024, 1),
    pcfKB: round(pcf.bytes / 1024, 1),
    widgetGzipKB: round(widget.gzipBytes / 1024, 1),
    widgetKB: round(widget.bytes / 1024, 1),
    addedByPcfGzipKB: round((pcf.gzipBytes - widget.gzipBytes) / 1024, 1),
    containsMsal: /msal/i.test(bundle),
  };
}
