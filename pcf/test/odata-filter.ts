/**
 * What Dataverse's Web API does with a `retrieveMultipleRecords` options string, for the
 * adapter tests that need to see which rows a query finds: `$filter` evaluated (eq, ne, and,
 * or, not, parentheses, contains(column,'text'), endswith(column,'text'), bare GUID literals), `$select` and `$top` applied. Like Dataverse,
 * it refuses a column the table does not have and an operator it does not know, and
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

/** The rows a query returns, in table order, with only the `$select`ed columns. */
export function retrieve(table: readonly Entity[], options: string | undefined): Entity[] {
  const params = queryOptions(options);
  const filter = params.get('$filter');
  const select = params.get('$select')?.split(',');
  const top = Number(params.get('$top') ?? Infinity);
  return table
    .filter((row) => !filter || matches(filter, row))
    .slice(0, top)
    .map((row) => (select ? Object.fromEntries(select.map((name) => [name, column(row, name)])) : { ...row }));
}

function column(row: Entity, name: string): unknown {
  assert.ok(name in row, `Could not find a property named '${name}'`);
  return row[name];
}
