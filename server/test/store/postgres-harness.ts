/**
 * Shared by the PostgreSQL tests (store, bus, three instances): where the database is,
 * whether it answers, and throwaway schemas. In CI an unreachable PostgreSQL fails the
 * run; elsewhere the tests skip with one line.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * null when PostgreSQL answers; otherwise the one line to skip with (in CI this throws
 * instead). postgres.test.ts prints it; the bus and scale tests skip silently, so a
 * machine without PostgreSQL sees one line for all of them.
 */
export async function postgresUnavailable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL at ${TEST_DATABASE_URL} is unreachable and CI=true: the Postgres tests must run (${(error as Error).message})`);
    }
    const { hostname, port } = new URL(TEST_DATABASE_URL);
    return `PostgreSQL at ${hostname}:${port || 5432} unreachable: skipping Postgres store tests (adapter, bus, three instances)`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema name unique to this run: wcp_t_<label>_<random>. */
export function schemaName(label: string): string {
  return `wcp_t_${label}_${randomBytes(4).toString('hex')}`;
}

/** The test URL pointing at one schema, the way an operator would write DATABASE_URL. */
export function urlForSchema(schema: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

export async function dropSchemas(schemas: Iterable<string>): Promise<void> {
  const names = [...schemas];
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  } finally {
    await client.end();
  }
}
