#!/usr/bin/env node
// `npm run bench`: runs test/bench/bench.ts under tsx in a child process, forwards Ctrl-C,
// and stops it if it overruns (the whole bench is meant to take well under 5 minutes).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LIMIT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 8 * 60_000);
const bench = fileURLToPath(new URL('./bench.ts', import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', bench], { stdio: 'inherit', cwd: fileURLToPath(new URL('../../', import.meta.url)) });
const timer = setTimeout(() => {
  console.error(`bench: over ${LIMIT_MS / 1000} s, stopping`);
  child.kill('SIGTERM');
}, LIMIT_MS);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  process.exit(code ?? (signal ? 1 : 0));
});
