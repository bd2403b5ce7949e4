// Reading a V8 .cpuprofile (node --cpu-prof, or Chromium's Profiler domain): shared by
// profile-summary.mjs and send-windows.mjs. Plain JavaScript so that both run without tsx.
import { readFileSync } from 'node:fs';

/** The profile, its nodes by id, and each node's caller (undefined for the root). */
export function readCpuProfile(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
  const callerOf = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) callerOf.set(child, n);
  return { profile, nodeById, callerOf };
}

/** Where a frame's code lives: a package, a node: module, or a path in this repository. */
export function sourceOf(url) {
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

/** A frame as the summaries print it: function, then where it is. */
export function frameLabel(node) {
  const cf = node.callFrame;
  return `${cf.functionName || '(anonymous)'}  ${sourceOf(cf.url)}:${cf.lineNumber + 1}`;
}
