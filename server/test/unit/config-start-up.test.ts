/**
 * Configuration at start-up: values the README's table calls valid start the relay, and a
 * bad value must stop start-up with one line naming the variable — not some other variable, and
 * not a library's message from deep inside start-up.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { runDoctor } from '../../src/doctor/checks.ts';
import { SERVER_DIR } from '../helpers/processes.ts';

describe('configuration values', () => {
  // README: HOST is "address to listen on (an IP or localhost)"; ::1 and :: are IPs.
  for (const host of ['::1', '::']) {
    it(`HOST=${host} (an IPv6 address) loads, with a usable default PUBLIC_URL`, () => {
      let publicUrl = '';
      assert.doesNotThrow(() => {
        publicUrl = loadConfig({ HOST: host }).publicUrl;
      }, 'a valid HOST was refused (the error names PUBLIC_URL, which was never set)');
      assert.doesNotThrow(() => new URL(publicUrl));
    });
  }

  it('PUBLIC_URL with a query or a fragment is refused, naming PUBLIC_URL (Twilio signs PUBLIC_URL + the path)', () => {
    for (const value of ['https://relay.contoso.com/?x=1', 'https://relay.contoso.com/#top']) {
      assert.throws(() => loadConfig({ PUBLIC_URL: value }), (e: unknown) => e instanceof ConfigError && e.variable === 'PUBLIC_URL', value);
    }
  });

  it('CORS_ORIGINS written with capitals or the default port is the origin a browser sends', () => {
    assert.deepEqual(loadConfig({ CORS_ORIGINS: 'https://Contoso.crm.dynamics.com, https://org.crm4.dynamics.com:443' }).corsOrigins, [
      'https://contoso.crm.dynamics.com',
      'https://org.crm4.dynamics.com',
    ]);
    assert.throws(() => loadConfig({ CORS_ORIGINS: 'https://contoso.crm.dynamics.com/main.aspx' }), /without a path, query or fragment/);
  });

  it('LOG_LEVEL=verbose (not a pino level) is refused by the configuration, naming LOG_LEVEL', () => {
    assert.throws(
      () => loadConfig({ LOG_LEVEL: 'verbose' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'LOG_LEVEL' && e.message.startsWith('LOG_LEVEL: '),
    );
  });

  it('npm run doctor fails on LOG_LEVEL=verbose (the relay would not start with it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wcp-loglevel-'));
    try {
      const lines: string[] = [];
      const code = await runDoctor({ DATABASE_URL: `sqlite:${join(dir, 'relay.db')}`, LOG_LEVEL: 'verbose' }, { write: (l) => lines.push(l) });
      assert.equal(code, 1, `doctor passed a configuration the relay cannot start with:\n${lines.join('\n')}`);
      assert.ok(lines.some((l) => l.startsWith('✗') && l.includes('LOG_LEVEL')), lines.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the relay started with LOG_LEVEL=verbose stops with one line naming LOG_LEVEL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wcp-loglevel-main-'));
    try {
      const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(SERVER_DIR, 'src', 'main.ts')], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'relay.db')}`, LOG_LEVEL: 'verbose' },
        timeout: 30_000,
        encoding: 'utf8',
      });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /LOG_LEVEL/, `stderr: ${result.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('the relay started with AUTH_MODE=dev and Twilio credentials stops with a line naming AUTH_MODE and the way out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wcp-devauth-main-'));
    try {
      const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(SERVER_DIR, 'src', 'main.ts')], {
        cwd: dir,
        env: {
          PATH: process.env['PATH'] ?? '',
          PORT: '0',
          DATABASE_URL: `sqlite:${join(dir, 'relay.db')}`,
          TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
          TWILIO_AUTH_TOKEN: 'token',
          TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886',
          AUTH_MODE: 'dev',
          AUTH_SECRET: 'x'.repeat(32),
        },
        timeout: 30_000,
        encoding: 'utf8',
      });
      assert.equal(result.status, 2, `stderr: ${result.stderr}`);
      assert.match(result.stderr, /^Configuration error: AUTH_MODE: .*INSECURE_DEV_AUTH_WITH_TWILIO=true/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The only check on DATABASE_URL is its prefix: a postgres:// URL that is not a URL at all gets
  // through, and start-up then dies with "The relay could not start: Invalid URL", naming nothing.
  for (const url of ['postgres://relay@127.0.0.1:99999/wcp', 'postgres://relay@[::1/wcp']) {
    it(`DATABASE_URL=${url} (not a URL) is refused by the configuration, naming DATABASE_URL`, () => {
      assert.throws(
        () => loadConfig({ DATABASE_URL: url }),
        (e: unknown) => e instanceof ConfigError && e.variable === 'DATABASE_URL',
      );
    });
  }

  it('the relay started with DATABASE_URL=postgres://relay@127.0.0.1:99999/wcp stops with a line naming DATABASE_URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wcp-dburl-main-'));
    try {
      const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(SERVER_DIR, 'src', 'main.ts')], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', PORT: '0', DATABASE_URL: 'postgres://relay@127.0.0.1:99999/wcp' },
        timeout: 30_000,
        encoding: 'utf8',
      });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /DATABASE_URL/, `stderr: ${result.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** The relay from source, in a folder of its own, with these variables: its exit and stderr. */
  const startWith = (env: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'wcp-start-'));
    try {
      return spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(SERVER_DIR, 'src', 'main.ts')], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', ...env },
        timeout: 30_000,
        encoding: 'utf8',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('a store that cannot be opened (a PostgreSQL server not listening, a file in no writable folder) stops start-up naming DATABASE_URL', () => {
    const advice = { postgres: 'Check that the PostgreSQL server is reachable', sqlite: "Check the file's folder exists and is writable" };
    for (const [url, told] of [['postgres://relay:s3cret@127.0.0.1:1/wcp', advice.postgres], ['sqlite:/dev/null/wcp/relay.db', advice.sqlite]] as const) {
      const result = startWith({ PORT: '0', DATABASE_URL: url });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /^The relay could not start: DATABASE_URL: the store could not be opened/m, `stderr: ${result.stderr}`);
      assert.ok(result.stderr.includes(told), `the advice for its own store: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /s3cret/, 'no password on the console');
    }
  });

  it('a port in use stops start-up naming PORT', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as { port: number };
      const result = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        // Asynchronous: this process must go on holding the port while the relay tries it.
        const dir = mkdtempSync(join(tmpdir(), 'wcp-start-'));
        import('node:child_process').then(({ execFile }) =>
          execFile(process.execPath, ['--import', import.meta.resolve('tsx'), join(SERVER_DIR, 'src', 'main.ts')], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', PORT: String(port) }, timeout: 30_000 }, (error, _stdout, stderr) => {
            rmSync(dir, { recursive: true, force: true });
            resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stderr });
          }),
        );
      });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, new RegExp(`^The relay could not start: PORT ${port} on 127\\.0\\.0\\.1 is in use`, 'm'), `stderr: ${result.stderr}`);
    } finally {
      taken.close();
    }
  });
});
