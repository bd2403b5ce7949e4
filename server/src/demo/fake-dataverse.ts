/**
 * A fake of the two Microsoft services the relay's CRM writer talks to, as their
 * documentation describes them. One honest fake, shared by the relay's tests (on its own
 * port: server/test/fakes/dataverse.ts) and the demo relay (mounted under /demo/…:
 * ./demo-crm.ts), so the demo's timeline is what the real writer wrote:
 * - Entra ID's token endpoint, client credentials (POST /<tenant>/oauth2/v2.0/token, form
 *   body; 200 `{ token_type, expires_in, access_token }`; a wrong secret 401 `invalid_client`
 *   with an AADSTS7000215 description);
 * - Dataverse's Web API upsert (PATCH /api/data/v9.2/<entityset>(<id>)): the bearer token must
 *   be one it issued and unexpired (else 401 with WWW-Authenticate), OData-Version 4.0 when
 *   sent, a JSON body whose properties are the table's columns or `<lookup>@odata.bind` to
 *   `/<entityset>(<guid>)` (else 400 with an OData error); 204 with OData-EntityId on success.
 *   Service protection: 429 with Retry-After (seconds) and error 0x80072322; a missing role:
 *   403 with error 0x80040220; a bind to a record that does not exist (deleted in the CRM):
 *   404 with error 0x80040217, as the service answers. A completed (or canceled) activity is
 *   read-only: a PATCH of anything but statecode/statuscode is a 400 with error 0x8004022e
 *   (CannotUpdateBecauseItIsReadOnly in Microsoft's "Web service error codes").
 * - The Web API query of the activities (GET /api/data/v9.2/wcp_whatsappconversations?$select=
 *   …&$filter=…&$orderby=…&$top=…): `{ "@odata.context", value: [rows] }`, each row with its
 *   `@odata.etag`, the regarding lookup as `_regardingobjectid_value` (+ its lookuplogicalname
 *   annotation), and formatted values when `Prefer: odata.include-annotations=…` asks for them.
 *   `$filter` takes `eq` comparisons joined by `and`/`or`, in parentheses or not; anything else
 *   is a 400, as an unsupported query would be.
 */
import { randomBytes } from 'node:crypto';

export const FAKE_TENANT = '0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f';
export const FAKE_CLIENT_ID = '11111111-2222-4333-8444-555555555555';

/** wcp_whatsappconversation's columns (../shared/DESIGN.md "The CRM record") and the activity ones the relay sets. */
const ACTIVITY_COLUMNS = new Set([
  'subject',
  'wcp_conversationid',
  'wcp_transcript',
  'wcp_customerphone',
  'wcp_profilename',
  'wcp_agentname',
  'wcp_queue',
  'wcp_disposition',
  'wcp_summary',
  'wcp_messagecount',
  'wcp_sentiment',
  'actualstart',
  'actualend',
  'statecode',
  'statuscode',
]);
/** The columns that set an activity's state (SetState as a PATCH): the only ones a closed activity takes. */
const STATE_COLUMNS = new Set(['statecode', 'statuscode']);
/** The text columns' maximum lengths, as the solution defines them (pcf/solution/wcp_whatsappconversation.columns.json). */
const MAX_LENGTHS: Record<string, number> = {
  subject: 200,
  wcp_conversationid: 100,
  wcp_transcript: 1_048_576,
  wcp_customerphone: 32,
  wcp_profilename: 200,
  wcp_agentname: 200,
  wcp_queue: 200,
  wcp_disposition: 100,
  wcp_summary: 4000,
  wcp_sentiment: 100,
};
/** Columns a query may name besides those: the key, the regarding lookup, the system dates. */
const READ_ONLY_COLUMNS = new Set(['activityid', '_regardingobjectid_value', 'createdon', 'modifiedon']);
const REGARDING = /^regardingobjectid_(contact|account|incident)_wcp_whatsappconversation@odata\.bind$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
/** activitypointer's state and status labels (an activity: Open/Completed/Canceled/Scheduled). */
const STATE_LABELS: Record<number, string> = { 0: 'Open', 1: 'Completed', 2: 'Canceled', 3: 'Scheduled' };
const STATUS_LABELS: Record<number, string> = { 1: 'Open', 2: 'Completed', 3: 'Canceled', 4: 'Scheduled' };
const ENTITY_SET = 'wcp_whatsappconversations';

export interface FakeRequest {
  method: string;
  /** The path below the service's root (the org URL, or the authority host), e.g. `/api/data/v9.2/…`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export interface FakeDataverseOptions {
  /** The org URL the service answers as (scope `<url>/.default`, OData-EntityId, @odata.context). */
  url(): string;
  /** The client secret of the one app registration it knows (default: a random one). */
  clientSecret?: string;
  /** A signed-in user's token that may read (GET) — the demo page's agent; writes need a token this service issued. */
  acceptsReader?(token: string): Promise<boolean>;
}

export class FakeDataverseService {
  readonly clientSecret: string;
  /** Activities by id, as last written (upserts merge, as Dataverse's PATCH does). */
  readonly activities = new Map<string, Record<string, unknown>>();
  /** Every PATCH that reached the Web API, whatever its answer. */
  readonly requests: { id: string; status: number; body: Record<string, unknown> }[] = [];
  tokensIssued = 0;
  latencyMs = 0;
  inFlight = 0;
  denied = false;
  tableImported = true;
  /** Contacts, accounts and cases deleted from the CRM (by id): a lookup bound to one is refused. */
  readonly deletedRecords = new Set<string>();
  failures: { count: number; status: number; retryAfter: number | undefined } = { count: 0, status: 0, retryAfter: undefined };
  private readonly valid = new Set<string>();
  /** System columns per activity: created/modified times and a row version for the etag. */
  private readonly system = new Map<string, { createdon: string; modifiedon: string; version: number }>();
  private version = 4_410_000;

  constructor(private readonly options: FakeDataverseOptions) {
    this.clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  }

  /** Tokens issued so far stop being accepted (as when one expires). */
  expireTokens(): void {
    this.valid.clear();
  }

  async handle(request: FakeRequest): Promise<FakeResponse> {
    try {
      if (request.method === 'POST' && request.path === `/${FAKE_TENANT}/oauth2/v2.0/token`) return this.token(request);
      return await this.webApi(request);
    } catch (error) {
      return json(500, odataError('0x80040216', String(error)));
    }
  }

  private token(request: FakeRequest): FakeResponse {
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== `${this.options.url()}/.default`) {
      return json(400, { error: 'invalid_scope', error_description: 'AADSTS70011: The provided request must include a valid scope.' });
    }
    if (form.get('client_id') !== FAKE_CLIENT_ID || form.get('client_secret') !== this.clientSecret) {
      return json(401, {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
        error_codes: [7000215],
      });
    }
    const token = randomBytes(24).toString('base64url');
    this.valid.add(token);
    this.tokensIssued++;
    return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
  }

  private async webApi(request: FakeRequest): Promise<FakeResponse> {
    const url = this.options.url();
    const bearer = /^Bearer (.+)$/.exec(header(request, 'authorization') ?? '')?.[1];
    const issued = !!bearer && this.valid.has(bearer);
    const unauthorized: FakeResponse = {
      status: 401,
      headers: { 'www-authenticate': `Bearer authorization_uri=${url}/${FAKE_TENANT}/oauth2/authorize, resource_id=${url}/` },
    };
    const path = decodeURIComponent(request.path);

    if (request.method === 'GET' && path === "/api/data/v9.2/EntityDefinitions(LogicalName='wcp_whatsappconversation')") {
      if (!issued) return { status: 401, headers: {} };
      if (!this.tableImported) return json(404, odataError('0x80060888', "Could not find entity with LogicalName = 'wcp_whatsappconversation'."));
      return json(200, { LogicalName: 'wcp_whatsappconversation', MetadataId: 'f2c1a6de-0000-4000-8000-000000000001' });
    }

    if (request.method === 'GET' && path === `/api/data/v9.2/${ENTITY_SET}`) {
      if (!issued && !(bearer && (await this.options.acceptsReader?.(bearer)))) return unauthorized;
      return this.query(request);
    }

    const match = /^\/api\/data\/v9\.2\/(\w+)\(([^)]+)\)$/.exec(path);
    if (!match) return json(404, odataError('0x8006088a', `Resource not found for the segment '${path}'.`));
    const [, entitySet, id] = match as unknown as [string, string, string];
    if (!issued) return unauthorized;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return json(400, odataError('0x80060888', 'The request body is not valid JSON.'));
    }
    if (this.latencyMs > 0) {
      this.inFlight++;
      await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      this.inFlight--;
    }
    const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}): FakeResponse => {
      this.requests.push({ id, status, body: row });
      return payload === undefined ? { status, headers: { 'odata-version': '4.0', ...headers } } : json(status, payload, headers);
    };
    if (request.method !== 'PATCH') return answer(405, odataError('0x80060888', `${request.method} is not supported here.`));
    const version = header(request, 'odata-version');
    if (version !== undefined && version !== '4.0') return answer(400, odataError('0x80060888', 'OData-Version must be 4.0.'));
    if (this.failures.count > 0) {
      this.failures.count--;
      if (this.failures.status === 429) {
        return answer(429, odataError('0x80072322', 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.'), {
          'retry-after': String(this.failures.retryAfter ?? 1),
        });
      }
      return answer(this.failures.status, odataError('0x80040216', 'An unexpected error occurred.'));
    }
    if (this.denied) {
      return answer(403, odataError('0x80040220', `Principal user (Id=${FAKE_CLIENT_ID}, type=8, roleCount=0) is missing prvCreatewcp_whatsappconversation privilege.`));
    }
    if (entitySet !== ENTITY_SET) return answer(404, odataError('0x80060888', `Resource not found for the segment '${entitySet}'.`));
    if (!GUID.test(id)) return answer(400, odataError('0x80060888', `Bad Request - Error in query syntax: '${id}' is not a valid key.`));
    for (const [key, value] of Object.entries(row)) {
      if (REGARDING.test(key)) {
        // null disassociates ("Associate and disassociate table rows using the Web API": a single-valued navigation property set to null in a PATCH).
        if (value !== null && (typeof value !== 'string' || !/^\/(contacts|accounts|incidents)\([0-9a-f-]{36}\)$/i.test(value))) {
          return answer(400, odataError('0x80060888', `The value '${String(value)}' of ${key} is not a valid entity reference.`));
        }
        const bound = typeof value === 'string' ? /\(([^)]+)\)/.exec(value)?.[1]?.toLowerCase() : undefined;
        if (bound && this.deletedRecords.has(bound)) {
          return answer(404, odataError('0x80040217', `${REGARDING.exec(key)![1]} With Id = ${bound} Does Not Exist`));
        }
      } else if (!ACTIVITY_COLUMNS.has(key)) {
        return answer(
          400,
          odataError('0x80060891', `An undeclared property '${key}' which only has property annotations in the payload but no property value was found in the payload.`),
        );
      }
    }
    for (const [column, max] of Object.entries(MAX_LENGTHS)) {
      const value = row[column];
      if (typeof value === 'string' && value.length > max) {
        return answer(
          400,
          odataError('0x80044331', `A validation error occurred. The length of the '${column}' attribute of the 'wcp_whatsappconversation' entity exceeded the maximum allowed length of '${max}'.`),
        );
      }
    }
    // An activity is created open: its state can only change on a row that exists.
    if (!this.activities.has(id) && 'statecode' in row) {
      return answer(400, odataError('0x80040203', "The 'statecode' attribute is not valid for create."));
    }
    // A completed or canceled activity is read-only: only its state may change (set back to open,
    // it can be updated, then completed again).
    const state = this.activities.get(id)?.statecode;
    if ((state === 1 || state === 2) && Object.keys(row).some((key) => !STATE_COLUMNS.has(key))) {
      return answer(400, odataError('0x8004022e', 'The object cannot be updated because it is read-only.'));
    }
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.system.set(id, { createdon: this.system.get(id)?.createdon ?? now, modifiedon: now, version: ++this.version });
    // Regarding is one lookup column, whichever navigation property sets it: a new bind replaces the
    // one before (of any type), and a null one leaves it empty.
    const kept = { ...this.activities.get(id) };
    if (Object.keys(row).some((key) => REGARDING.test(key))) for (const key of Object.keys(kept)) if (REGARDING.test(key)) delete kept[key];
    const written = Object.fromEntries(Object.entries(row).filter(([key, value]) => !(REGARDING.test(key) && value === null)));
    this.activities.set(id, { ...kept, ...written });
    return answer(204, undefined, { 'odata-entityid': `${url}/api/data/v9.2/${entitySet}(${id})` });
  }

  /** GET of the activities with $select, $filter, $orderby and $top. */
  private query(request: FakeRequest): FakeResponse {
    const select = request.query.get('$select')?.split(',').map((c) => c.trim()).filter(Boolean) ?? null;
    for (const column of select ?? []) {
      if (!ACTIVITY_COLUMNS.has(column) && !READ_ONLY_COLUMNS.has(column)) {
        return json(400, odataError('0x80060888', `Could not find a property named '${column}' on type 'Microsoft.Dynamics.CRM.wcp_whatsappconversation'.`));
      }
    }
    let matches: (row: Record<string, unknown>) => boolean;
    try {
      matches = parseFilter(request.query.get('$filter') ?? '');
    } catch (error) {
      return json(400, odataError('0x80060888', `Syntax error in $filter: ${(error as Error).message}`));
    }
    const annotate = /odata\.include-annotations="?[^"]*(\*|OData\.Community\.Display\.V1\.FormattedValue)/.test(header(request, 'prefer') ?? '');
    let rows = [...this.activities.keys()].map((id) => this.readRow(id)).filter(matches);
    const order = /^(\w+)(?:\s+(asc|desc))?$/.exec(request.query.get('$orderby')?.trim() ?? '');
    if (order) {
      const [, column, direction] = order as unknown as [string, string, string | undefined];
      const sign = direction === 'desc' ? -1 : 1;
      rows = rows.sort((a, b) => sign * String(a[column] ?? '').localeCompare(String(b[column] ?? '')));
    }
    const top = Number(request.query.get('$top') ?? NaN);
    if (Number.isInteger(top) && top > 0) rows = rows.slice(0, top);
    const value = rows.map((row) => {
      const out: Record<string, unknown> = { '@odata.etag': row['@odata.etag'] };
      for (const column of select ?? Object.keys(row).filter((k) => !k.includes('@'))) {
        out[column] = row[column] ?? null;
        if (column === '_regardingobjectid_value' && row[column]) {
          out[`${column}@Microsoft.Dynamics.CRM.lookuplogicalname`] = row[`${column}@Microsoft.Dynamics.CRM.lookuplogicalname`];
        }
        if (annotate && (column === 'statecode' || column === 'statuscode')) out[`${column}${FORMATTED}`] = row[`${column}${FORMATTED}`];
      }
      out.activityid = row.activityid;
      return out;
    });
    const context = `${this.options.url()}/api/data/v9.2/$metadata#${ENTITY_SET}${select ? `(${select.join(',')})` : ''}`;
    return json(200, { '@odata.context': context, value });
  }

  /** An activity as the Web API returns it: binds become the lookup's `_…_value`, states default to open. */
  private readRow(id: string): Record<string, unknown> {
    const written = this.activities.get(id) ?? {};
    const system = this.system.get(id);
    const row: Record<string, unknown> = {
      '@odata.etag': `W/"${system?.version ?? 0}"`,
      activityid: id,
      statecode: 0,
      statuscode: 1,
      createdon: system?.createdon ?? null,
      modifiedon: system?.modifiedon ?? null,
      _regardingobjectid_value: null,
    };
    for (const [key, value] of Object.entries(written)) {
      const regarding = REGARDING.exec(key);
      if (regarding) {
        row._regardingobjectid_value = /\(([^)]+)\)/.exec(String(value))?.[1] ?? null;
        row['_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname'] = regarding[1];
      } else {
        row[key] = value;
      }
    }
    row[`statecode${FORMATTED}`] = STATE_LABELS[row.statecode as number] ?? String(row.statecode);
    row[`statuscode${FORMATTED}`] = STATUS_LABELS[row.statuscode as number] ?? String(row.statuscode);
    return row;
  }
}

/**
 * `$filter`: `column eq value` (a quoted string with '' for a quote, a GUID, a number, null,
 * true/false) joined by `and`/`or`, with parentheses; `and` binds tighter, as in OData.
 */
export function parseFilter(filter: string): (row: Record<string, unknown>) => boolean {
  const tokens = filter.match(/'(?:[^']|'')*'|\(|\)|[^\s()]+/g) ?? [];
  if (tokens.length === 0) return () => true;
  let at = 0;
  const next = () => tokens[at++];
  const peek = () => tokens[at];
  const orExpression = (): ((row: Record<string, unknown>) => boolean) => {
    let left = andExpression();
    while (peek()?.toLowerCase() === 'or') {
      next();
      const a = left;
      const b = andExpression();
      left = (row) => a(row) || b(row);
    }
    return left;
  };
  const andExpression = (): ((row: Record<string, unknown>) => boolean) => {
    let left = term();
    while (peek()?.toLowerCase() === 'and') {
      next();
      const a = left;
      const b = term();
      left = (row) => a(row) && b(row);
    }
    return left;
  };
  const term = (): ((row: Record<string, unknown>) => boolean) => {
    if (peek() === '(') {
      next();
      const inner = orExpression();
      if (next() !== ')') throw new Error('a parenthesis is not closed');
      return inner;
    }
    const column = next();
    const operator = next();
    const literal = next();
    if (!column || !/^\w+$/.test(column)) throw new Error(`'${column ?? ''}' is not a property`);
    if (operator?.toLowerCase() !== 'eq') throw new Error(`only 'eq' is supported here, not '${operator ?? ''}'`);
    if (literal === undefined) throw new Error(`${column} eq has no value`);
    const value = literalValue(literal);
    return (row) => {
      const cell = row[column] ?? null;
      return typeof value === 'string' && typeof cell === 'string' && GUID.test(value) ? cell.toLowerCase() === value.toLowerCase() : cell === value;
    };
  };
  const expression = orExpression();
  if (at !== tokens.length) throw new Error(`unexpected '${tokens[at]}'`);
  return expression;
}

function literalValue(token: string): unknown {
  if (token.startsWith("'")) {
    if (!token.endsWith("'") || token.length < 2) throw new Error('a string is not closed');
    return token.slice(1, -1).replaceAll("''", "'");
  }
  if (token === 'null') return null;
  if (token === 'true' || token === 'false') return token === 'true';
  if (GUID.test(token)) return token;
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  throw new Error(`'${token}' is not a value`);
}

function header(request: FakeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { 'content-type': 'application/json; odata.metadata=minimal', 'odata-version': '4.0', ...headers }, body: JSON.stringify(body) };
}

const odataError = (code: string, message: string) => ({ error: { code, message } });
