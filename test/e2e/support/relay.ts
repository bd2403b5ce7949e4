/**
 * Starts the real relay as production runs it (the compiled server/dist/main.js, plain node)
 * as a child process in simulator mode: no
 * TWILIO_* variables, dev auth, a temporary SQLite database, HOST=127.0.0.1 and PORT=0
 * (or a given port, to restart on the same one). The relay prints one JSON line
 * `{"event":"listening","address":...}` on stdout; that is how the address is learnt.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'server/dist/main.js');

export interface RelayProcess {
  /** e.g. http://127.0.0.1:41234 */
  readonly base: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM and wait (graceful). */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash, nothing drained. */
  kill(): Promise<void>;
}

export interface RelayOptions {
  /** Folder holding the SQLite database (and the dev secret beside it). */
  dataDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  env?: Record<string, string>;
  /** The install to run (default: this checkout), e.g. a pruned production copy. */
  root?: string;
}

/** A temporary folder for a test file's database; remove it in `after`. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'wcp-e2e-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build -w <workspace>` when `output` is missing or older than any file under `sources`. */
function buildIfStale(workspace: string, sources: string, output: string): void {
  const built = existsSync(output) ? statSync(output).mtimeMs : 0;
  if (built > 0 && built >= newestMtime(join(ROOT, sources))) return;
  const result = spawnSync('npm', ['run', 'build', '-w', workspace], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build -w ${workspace} failed:\n${result.stdout}\n${result.stderr}`);
}

/** The relay runs from server/dist and serves the panel from widget/dist: build either when stale. */
export function ensureBuilt(): void {
  buildIfStale('widget', 'widget/src', join(ROOT, 'widget/dist/demo/demo.js'));
  buildIfStale('server', 'server/src', MAIN);
}

export async function startRelay(options: RelayOptions): Promise<RelayProcess> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Simulator mode: no Twilio account; nothing else from the caller's relay config either.
    if (value === undefined || key.startsWith('TWILIO_') || ['PUBLIC_URL', 'DATABASE_URL', 'AUTH_MODE', 'AUTH_SECRET', 'CORS_ORIGINS'].includes(key)) continue;
    env[key] = value;
  }
  Object.assign(env, {
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(options.dataDir, 'relay.db')}`,
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const root = options.root ?? ROOT;
  const child = spawn(process.execPath, [join(root, 'server/dist/main.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));

  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The relay did not start within 30 s:\n${out}`));
    }, 30_000);
    const onData = () => {
      const line = out.split('\n').find((l) => l.startsWith('{"event":"listening"'));
      if (!line) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      resolve((JSON.parse(line) as { address: string }).address);
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`The relay exited (${code}) before listening:\n${out}`));
    };
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });

  const exited = once(child, 'exit');
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    base: address,
    port: Number(new URL(address).port),
    child,
    output: () => out,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}
