#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by package.
// Usage: node test/bench/profile-summary.mjs <file.cpuprofile> [top=25]
import { frameLabel, readCpuProfile, sourceOf } from './lib/cpu-profile.mjs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const { profile, nodeById, callerOf } = readCpuProfile(file);
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const fn = new Map();
const pk = new Map();
for (const [id, t] of self) {
  const n = nodeById.get(id);
  const key = frameLabel(n);
  fn.set(key, (fn.get(key) ?? 0) + t);
  const p = sourceOf(n.callFrame.url);
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
  const chains = new Map();
  for (const [id, t] of self) {
    const n = nodeById.get(id);
    if (n.callFrame.functionName !== focus) continue;
    const chain = [];
    let p = callerOf.get(id);
    while (p && chain.length < 4) {
      if (p.callFrame.functionName && !['sqliteTransaction', 'transaction', 'tx', 'run', 'get', 'all'].includes(p.callFrame.functionName) || chain.length === 0) {
        chain.push(`${p.callFrame.functionName || '(anon)'}@${sourceOf(p.callFrame.url)}:${p.callFrame.lineNumber + 1}`);
      }
      p = callerOf.get(p.id);
    }
    const key = chain.join(' < ');
    chains.set(key, (chains.get(key) ?? 0) + t);
  }
  console.log(`\ncallers of ${focus}:`);
  for (const [k, t] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(t)}  ${k}`);
}
