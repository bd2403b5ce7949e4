#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by package.
// Usage: node test/bench/profile-summary.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function pkg(url) {
  if (!url) return '(native/V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const m = /\/(server|widget|pcf|test)\/(.*)$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : url;
}

const fn = new Map();
const pk = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const key = `${cf.functionName || '(anonymous)'}  ${pkg(cf.url)}:${cf.lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + t);
  const p = pkg(cf.url);
  pk.set(p, (pk.get(p) ?? 0) + t);
}
const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)} %`;
console.log(`total sampled ${(total / 1000).toFixed(0)} ms`);
console.log('\nself time by package/file:');
for (const [k, t] of [...pk].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${k}`);
console.log('\nself time by function:');
for (const [k, t] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${k}`);

// Optional third argument: a function name; prints who calls it (self time of it, by caller chain of 3).
const focus = process.argv[4];
if (focus) {
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const chains = new Map();
  for (const [id, t] of self) {
    const n = byId.get(id);
    if (n.callFrame.functionName !== focus) continue;
    const chain = [];
    let p = parent.get(id);
    while (p && chain.length < 4) {
      if (p.callFrame.functionName && !['sqliteTransaction', 'transaction', 'tx', 'run', 'get', 'all'].includes(p.callFrame.functionName) || chain.length === 0) {
        chain.push(`${p.callFrame.functionName || '(anon)'}@${pkg(p.callFrame.url)}:${p.callFrame.lineNumber + 1}`);
      }
      p = parent.get(p.id);
    }
    const key = chain.join(' < ');
    chains.set(key, (chains.get(key) ?? 0) + t);
  }
  console.log(`\ncallers of ${focus}:`);
  for (const [k, t] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(t)}  ${k}`);
}
