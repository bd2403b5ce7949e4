/**
 * Two relays starting at once on an empty PostgreSQL schema. The test holds the migration
 * lock itself at first, so both are seen asking for it (neither serving yet); once it lets
 * go, one migrates while the other waits, then finds nothing left to do. Both serve
 * (/readyz 200, a webhook on each), and every migration is recorded once.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SERVER_DIR, until } from '../helpers/processes.ts';
import { postgresUnavailable } from '../store/postgres-harness.ts';
import { PgDeployment, allReady, startRelay, type Relay } from './cluster.ts';

const MIGRATION_LOCK = `hashtextextended('wcp:migrations', 0)`;
const unavailable = await postgresUnavailable();

describe('two relays starting at once on an empty schema', { skip: unavailable ?? false, timeout: 60_000 }, () => {
  const d = new PgDeployment('start');

  before(async () => {
    await d.open(['a', 'b']);
  });

  after(async () => {
    await d.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
    await d.close();
  });

  it('migrates once while the other waits; both serve', async (t) => {
    await d.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    const starting = ['a', 'b'].map((name) => startRelay(name, d.env(name)));
    const started = Date.now();
    // Each asks for the lock again and again (postgres-database.ts migrate), so neither shows as
    // blocked in pg_locks: each connection's last statement is the ask.
    await until('both relays to wait for the migration lock', 20_000, async () => {
      const rows = await d.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'wcp-relay' AND query LIKE $1`,
        [`%pg_try_advisory_lock(${MIGRATION_LOCK})%`],
      );
      return rows[0]!.n >= 2;
    });
    await d.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
    const released = Date.now();
    const relays: Relay[] = await Promise.all(starting);
    d.relays.push(...relays);
    await allReady(relays.map((r) => r.url));
    const ready = Date.now();

    const files = readdirSync(join(SERVER_DIR, 'src', 'store', 'postgres', 'migrations'))
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const applied = await d.query<{ version: string }>(`SELECT version FROM $schema.schema_migrations ORDER BY version`);
    assert.deepEqual(
      applied.map((r) => r.version),
      files,
      'each migration recorded once',
    );

    // Both serve: a webhook through each is stored, once.
    const load = d.webhooks(() => relays.map((r) => r.url));
    await Promise.all([load.send(), load.send()]);
    assert.deepEqual(
      load.deliveries.map((w) => w.attempts),
      [1, 1],
      'each instance took its webhook at the first attempt',
    );
    const stored = await d.query<{ n: number }>(`SELECT count(*)::int AS n FROM $schema.messages WHERE direction = 'inbound'`);
    assert.equal(stored[0]!.n, 2);
    for (const relay of relays) assert.doesNotMatch(relay.output(), /already exists|could not start/);
    t.diagnostic(`figures ${JSON.stringify({ waitedForLockMs: released - started, releaseToBothReadyMs: ready - released })}`);
  });
});
