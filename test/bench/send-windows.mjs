// The page's main thread around each Send, from the felt bench's CPU profile
// (BENCH_ONLY=felt BENCH_PROFILE=1 BENCH_KEEP=1; felt-send.cpuprofile in the kept temp dir).
// profile-summary.mjs sums the whole sending minute, typing and waiting included; this takes
// only the WINDOW ms after each sample whose stack holds a function named like HANDLER (the
// composer's `send`, say), and prints the inclusive and self time per function, per Send.
// Build the widget with WCP_NO_MINIFY=1 first, or the names are the minifier's.
//
//   node test/bench/send-windows.mjs <file.cpuprofile> [handler=^send$] [window ms=15] [top=30]
// TIMELINE=n also prints the n-th window as a time line of its outermost frames.
import { frameLabel as label, readCpuProfile } from './lib/cpu-profile.mjs';

const [file, handler = '^send$', windowMs = '15', top = '30'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node test/bench/send-windows.mjs <file.cpuprofile> [handler regexp] [window ms] [top]');
  process.exit(2);
}
const { profile, nodeById, callerOf } = readCpuProfile(file);
/** The sample's stack, innermost frame first. */
const stackOf = (id) => {
  const stack = [];
  for (let node = nodeById.get(id); node; node = callerOf.get(node.id)) stack.push(node);
  return stack;
};
const opens = new RegExp(handler);

// Each sample's time and duration (the gap to the next sample), in ms.
const at = [];
let clock = profile.startTime;
for (const delta of profile.timeDeltas) at.push((clock += delta) / 1000);
const duration = (i) => (at[i + 1] ?? at[i]) - at[i];

const windows = [];
let current = null;
profile.samples.forEach((id, i) => {
  const stack = stackOf(id);
  if ((!current || at[i] > current.end) && stack.some((n) => opens.test(n.callFrame.functionName))) {
    current = { start: at[i], end: at[i] + Number(windowMs), samples: [] };
    windows.push(current);
  }
  if (current && at[i] <= current.end) current.samples.push({ i, stack });
});
if (windows.length === 0) {
  console.error(`no sample's stack holds a function matching ${opens}`);
  process.exit(1);
}

const inclusive = new Map();
const self = new Map();
let busy = 0;
for (const w of windows) {
  for (const { i, stack } of w.samples) {
    if (stack[0].callFrame.functionName === '(idle)') continue;
    const ms = duration(i);
    busy += ms;
    self.set(label(stack[0]), (self.get(label(stack[0])) ?? 0) + ms);
    for (const name of new Set(stack.map(label))) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
  }
}
const perSend = (ms) => (ms / windows.length).toFixed(2).padStart(7);
const print = (title, totals) => {
  console.log(`\n${title}`);
  for (const [name, ms] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${perSend(ms)} ms  ${name}`);
};
console.log(`${windows.length} windows of ${windowMs} ms from ${opens}; busy ${perSend(busy).trim()} ms per window`);
print('inclusive, ms per window', inclusive);
print('self, ms per window', self);

if (process.env.TIMELINE) {
  const w = windows[Number(process.env.TIMELINE)];
  console.log(`\nwindow ${process.env.TIMELINE}: offset, duration, outermost three frames`);
  let run = null;
  const flush = () => run && console.log(`${(run.start - w.start).toFixed(2).padStart(6)} +${run.ms.toFixed(2).padStart(5)}  ${run.key}`);
  for (const { i, stack } of w.samples) {
    const key = stack.slice(0, -1).reverse().slice(0, 3).map(label).join(' > ');
    if (run?.key === key) run.ms += duration(i);
    else {
      flush();
      run = { key, start: at[i], ms: duration(i) };
    }
  }
  flush();
}
