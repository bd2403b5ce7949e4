/**
 * The production install as docs/deploy.md gives it: `npm ci && npm run build && npm prune
 * --omit=dev`, then `node server/dist/main.js`. Run on a copy of this checkout's build (its
 * node_modules hard-linked, so nothing here is touched): after the prune no development
 * package is left, and the relay still starts, answers /readyz and serves the panel — so
 * nothing it needs at run time sits in devDependencies.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt, removeDir, ROOT, startRelay, tempDataDir, type RelayProcess } from './support/relay.ts';

/** The built output `npm run build` leaves beside the checkout's files. */
const BUILT = ['server/dist', 'server/protocol/dist', 'widget/dist'];

describe('production install (npm prune --omit=dev)', () => {
  const install = mkdtempSync(join(tmpdir(), 'wcp-prod-'));
  const dataDir = tempDataDir();
  let relay: RelayProcess | undefined;

  before(() => {
    ensureBuilt();
    const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
    for (const path of [...tracked, ...BUILT]) {
      mkdirSync(dirname(join(install, path)), { recursive: true });
      cpSync(join(ROOT, path), join(install, path), { recursive: true });
    }
    // Hard links: a copy in seconds; npm prune unlinks what it removes, the checkout keeps its files.
    const linked = spawnSync('cp', ['-al', join(ROOT, 'node_modules'), join(install, 'node_modules')]);
    assert.equal(linked.status, 0, String(linked.stderr));
    // npm rewrites this one in place: give the copy its own.
    const hidden = join(install, 'node_modules/.package-lock.json');
    rmSync(hidden, { force: true });
    if (existsSync(join(ROOT, 'node_modules/.package-lock.json'))) cpSync(join(ROOT, 'node_modules/.package-lock.json'), hidden);
    const pruned = spawnSync('npm', ['prune', '--omit=dev', '--offline', '--no-audit', '--no-fund'], { cwd: install, encoding: 'utf8', timeout: 180_000 });
    assert.equal(pruned.status, 0, `npm prune failed:\n${pruned.stdout}\n${pruned.stderr}`);
  });

  after(async () => {
    await relay?.stop();
    removeDir(install);
    removeDir(dataDir);
  });

  it('leaves no development package behind', () => {
    for (const dev of ['typescript', 'tsx', 'eslint', 'msw', 'playwright-core', 'esbuild']) {
      assert.ok(!existsSync(join(install, 'node_modules', dev)), `${dev} is still installed after the prune`);
    }
    assert.ok(existsSync(join(install, 'node_modules/fastify')), 'a run-time dependency was pruned');
  });

  it('starts with node server/dist/main.js, is ready and serves the panel', async () => {
    relay = await startRelay({ dataDir, root: install });
    const ready = await fetch(`${relay.base}/readyz`);
    assert.equal(ready.status, 200, relay.output());
    assert.equal(((await ready.json()) as { status: string }).status, 'ready');
    const page = await fetch(`${relay.base}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /wcp-panel|<script/);
    assert.equal((await fetch(`${relay.base}/api/v1/openapi.json`)).status, 200);
  });
});
