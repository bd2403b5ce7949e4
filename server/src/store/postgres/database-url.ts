/**
 * A postgres:// DATABASE_URL and its `?schema=`: read by the configuration at start-up (a bad URL
 * stops it naming DATABASE_URL), the store and the bus. No driver here, so the configuration can
 * check it without loading one.
 */

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

/** Schema names go into SQL and channel names unquoted: keep them plain. */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Schema name "${schema}" must be lower-case letters, digits and _ (at most 48).`);
}

/** Splits `?schema=` off a postgres:// URL (`pg` would not understand it); throws on a URL that does not parse or a bad schema name. */
export function parseDatabaseUrl(url: string): { connectionString: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined) assertSchemaName(schema);
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}
