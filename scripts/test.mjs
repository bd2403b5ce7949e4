#!/usr/bin/env node
// The one test command (`npm test`): every workspace's tests, then the cross-part tests.
// Stops at the first failing suite so the failure is the last thing printed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { ensureChromium } from './ensure-chromium.mjs';

// Node 20's test runner does not expand globs itself (and we spawn without a shell): list the files.
const testFiles = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `${dir}/${f}`) : []);

const suites = [
  { name: 'server', cmd: ['npm', 'test', '-w', '@wcp/server'] },
  { name: 'widget', cmd: ['npm', 'test', '-w', 'widget'], browser: true },
  { name: 'pcf', cmd: ['npm', 'test', '-w', 'pcf'] },
  // The built control in Microsoft's test harness (pcf-start), in Chromium, as a maker first tries it.
  { name: 'pcf-harness', cmd: ['npm', 'run', 'test:harness', '-w', 'pcf'], browser: true },
  { name: 'e2e', cmd: ['node', '--import', 'tsx', '--test', '--test-force-exit', '--test-concurrency=1', ...testFiles('test/e2e')], browser: true, when: 'test/e2e' },
];

const only = process.argv.slice(2);

// The relay serves the built panel (demo page), and its tests and the e2e tests load it; the e2e
// tests run the relay as production does, from server/dist. Build both first.
for (const workspace of ['@wcp/protocol', 'widget', '@wcp/server']) {
  console.log(`=== building ${workspace} ===`);
  const build = spawnSync('npm', ['run', 'build', '-w', workspace], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
for (const suite of suites) {
  if (only.length && !only.includes(suite.name)) continue;
  if (suite.when && !existsSync(suite.when)) continue;
  if (suite.browser) ensureChromium();
  console.log(`\n=== ${suite.name} tests ===`);
  const started = Date.now();
  const result = spawnSync(suite.cmd[0], suite.cmd.slice(1), { stdio: 'inherit', shell: false });
  console.log(`=== ${suite.name}: ${result.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}
