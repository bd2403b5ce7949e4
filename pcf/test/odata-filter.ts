/**
 * What Dataverse's Web API does with a `retrieveMultipleRecords` options string, for the
 * adapter tests that need to see which rows a query finds: `$filter` evaluated (eq, ne, and,
 * or, not, parentheses, contains(column,'text'), endswith(column,'text'), bare GUID literals), `$select` and `$top` applied,
 * `$expand=lookup($select=...)` embedding the related row. Like Dataverse, it refuses a column
 * or navigation property the table does not have and an operator it does not know, and
 * `contains()` is a case- and accent-insensitive substring test read as SQL LIKE, where a
 * bracketed character ([%], [_], [[]) stands for itself.
 */
import assert from 'node:assert/strict';

type Entity = ComponentFramework.WebApi.Entity;

/** The options as the server reads them from the URL: split on `&`, then percent-decoded. */
export function queryOptions(options: string | undefined): URLSearchParams {
  return new URLSearchParams((options ?? '').replace(/^\?/, ''));
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

const fold = (text: string) => text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/**
 * A SQL LIKE pattern, matched against the whole text: % any run, _ any one character, [x] x
 * itself. contains(column,'text') is `LIKE '%text%'`, endswith(column,'text') `LIKE '%text'`.
 */
function like(text: string): RegExp {
  const parts = fold(text).match(/\[[^\]]*\]|[%_]|[^[%_]+|\[/g) ?? [];
  const source = parts
    .map((part) => {
      if (part === '%') return '.*';
      if (part === '_') return '.';
      if (part.length > 2 && part.startsWith('[')) return `[${part.slice(1, -1).replace(/[\\\]^-]/g, '\\$&')}]`;
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, 's');
}

export function matches(filter: string, row: Entity): boolean {
  const tokens = filter.match(new RegExp(`'(?:[^']|'')*'|${GUID.source}|\\(|\\)|,|[A-Za-z_][\\w.]*|-?\\d+(?:\\.\\d+)?`, 'g')) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    const token = tokens[i++];
    assert.ok(token !== undefined, `$filter ends early: ${filter}`);
    return token;
  };
  const value = (token: string): unknown => {
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    // A GUID literal (a lookup's `_x_value`, a primary key) is written bare.
    if (new RegExp(`^${GUID.source}$`).test(token)) return token;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === 'null') return null;
    if (/^-?\d/.test(token)) return Number(token);
    return column(row, token);
  };
  function primary(): boolean {
    const token = next();
    if (token === '(') {
      const result = or();
      assert.equal(next(), ')');
      return result;
    }
    if (token === 'not') return !primary();
    if (token === 'contains' || token === 'endswith') {
      assert.equal(next(), '(');
      const text = String(column(row, next()) ?? '');
      assert.equal(next(), ',');
      const literal = next();
      assert.ok(literal.startsWith("'"), `${token}() takes a string literal`);
      // endswith(column,'text') is `LIKE '%text'`.
      const pattern = like(`%${String(value(literal))}${token === 'contains' ? '%' : ''}`);
      assert.equal(next(), ')');
      return pattern.test(fold(text));
    }
    const operator = next();
    const right = value(next());
    const left = value(token);
    if (operator === 'eq') return left === right;
    if (operator === 'ne') return left !== right;
    throw new Error(`unsupported operator ${operator}`);
  }
  function and(): boolean {
    let result = primary();
    while (peek() === 'and') {
      next();
      const right = primary();
      result = result && right;
    }
    return result;
  }
  function or(): boolean {
    let result = and();
    while (peek() === 'or') {
      next();
      const right = and();
      result = result || right;
    }
    return result;
  }
  const result = or();
  assert.equal(i, tokens.length, `$filter has more after position ${i}: ${filter}`);
  return result;
}

/**
 * A single-valued navigation property (a lookup) of the table: the lookup column holding the
 * related row's id (`_languagelocaleid_value`), and the related table with its primary key.
 */
export interface Lookup {
  column: string;
  rows: readonly Entity[];
  key: string;
}

/** The rows a query returns, in table order, with only the `$select`ed columns and the `$expand`ed lookups. */
export function retrieve(table: readonly Entity[], options: string | undefined, lookups: Readonly<Record<string, Lookup>> = {}): Entity[] {
  const params = queryOptions(options);
  const filter = params.get('$filter');
  const select = params.get('$select')?.split(',');
  const top = Number(params.get('$top') ?? Infinity);
  const expand = expansions(params.get('$expand'));
  return table
    .filter((row) => !filter || matches(filter, row))
    .slice(0, top)
    .map((row) => ({
      ...selected(row, select),
      ...Object.fromEntries(expand.map(({ property, select: columns }) => [property, related(row, property, lookups, columns)])),
    }));
}

/** `nav($select=a,b),other`: each navigation property with the columns selected in it (every column when none). */
function expansions(expand: string | null): { property: string; select: string[] | undefined }[] {
  return (expand?.match(/[^,(]+(?:\([^)]*\))?/g) ?? []).map((item) => {
    // Nested $expand and the collection-only options are not modelled: refused rather than ignored.
    const [, property, columns] = /^(\w+)(?:\(\$select=([\w,]+)\))?$/.exec(item) ?? assert.fail(`$expand not modelled: ${item}`);
    return { property: property!, select: columns?.split(',') };
  });
}

/**
 * The row a lookup names, as Dataverse embeds it under the navigation property: the selected
 * columns plus its primary key; null when the lookup is empty.
 */
function related(row: Entity, property: string, lookups: Readonly<Record<string, Lookup>>, select: string[] | undefined): Entity | null {
  const lookup = lookups[property];
  assert.ok(lookup, `Could not find a property named '${property}'`);
  const id = column(row, lookup.column);
  if (id === null) return null;
  const target = lookup.rows.find((candidate) => candidate[lookup.key] === id);
  assert.ok(target, `${lookup.column} ${String(id)} names no row`);
  return { ...selected(target, select), [lookup.key]: id };
}

function selected(row: Entity, select: string[] | undefined): Entity {
  return select ? Object.fromEntries(select.map((name) => [name, column(row, name)])) : { ...row };
}

function column(row: Entity, name: string): unknown {
  assert.ok(name in row, `Could not find a property named '${name}'`);
  return row[name];
}
