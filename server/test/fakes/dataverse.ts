/**
 * A fake of the two Microsoft services the relay's CRM writer talks to, on 127.0.0.1, as
 * their documentation describes them:
 * - Entra ID's token endpoint, client credentials (POST /<tenant>/oauth2/v2.0/token, form
 *   body; 200 `{ token_type, expires_in, access_token }`; a wrong secret 401 `invalid_client`
 *   with an AADSTS7000215 description);
 * - Dataverse's Web API upsert (PATCH /api/data/v9.2/<entityset>(<id>)): the bearer token must
 *   be one it issued and unexpired (else 401 with WWW-Authenticate), OData-Version 4.0 when
 *   sent, a JSON body whose properties are the table's columns or `<lookup>@odata.bind` to
 *   `/<entityset>(<guid>)` (else 400 with an OData error); 204 with OData-EntityId on success.
 *   Service protection: 429 with Retry-After (seconds) and error 0x80072322; a missing role:
 *   403 with error 0x80040220, as the service answers.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export const FAKE_TENANT = '0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f';
export const FAKE_CLIENT_ID = '11111111-2222-4333-8444-555555555555';
export const FAKE_CLIENT_SECRET = 'fake-dataverse-client-secret';

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
const REGARDING = /^regardingobjectid_(contact|account|incident)_wcp_whatsappconversation@odata\.bind$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface FakeDataverse {
  url: string;
  /** Activities by id, as last written (upserts merge, as Dataverse's PATCH does). */
  activities: Map<string, Record<string, unknown>>;
  /** Every PATCH that reached the Web API, whatever its answer. */
  requests: { id: string; status: number; body: Record<string, unknown> }[];
  tokensIssued: number;
  /** The next `count` Web API requests answer `status` (429 with Retry-After `retryAfterSeconds`). */
  failNext(count: number, status: number, retryAfterSeconds?: number): void;
  /** Tokens issued so far stop being accepted (as when one expires). */
  expireTokens(): void;
  /** The application user has no security role: every write is 403. */
  denyPrivilege(deny: boolean): void;
  /** Every Web API answer waits this long (a slow service; writes stay in flight). */
  setLatency(ms: number): void;
  /** PATCH requests received and not yet answered. */
  readonly inFlight: number;
  /** Whether the solution (and so the activity table) is imported; default true. */
  setTableImported(imported: boolean): void;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal', 'odata-version': '4.0', ...headers }).end(JSON.stringify(body));
}

const odataError = (code: string, message: string) => ({ error: { code, message } });

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += (chunk as Buffer).toString();
  return body;
}

export async function startFakeDataverse(): Promise<FakeDataverse> {
  const valid = new Set<string>();
  let failures: { count: number; status: number; retryAfter: number | undefined } = { count: 0, status: 0, retryAfter: undefined };
  let denied = false;
  let tableImported = true;
  const state = { tokensIssued: 0, latencyMs: 0, inFlight: 0 };
  const activities = new Map<string, Record<string, unknown>>();
  const requests: FakeDataverse['requests'] = [];
  let origin = '';

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      const body = await readBody(req);

      if (req.method === 'POST' && url.pathname === `/${FAKE_TENANT}/oauth2/v2.0/token`) {
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== `${origin}/.default`) {
          return json(res, 400, { error: 'invalid_scope', error_description: 'AADSTS70011: The provided request must include a valid scope.' });
        }
        if (form.get('client_id') !== FAKE_CLIENT_ID || form.get('client_secret') !== FAKE_CLIENT_SECRET) {
          return json(res, 401, { error: 'invalid_client', error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.", error_codes: [7000215] });
        }
        const token = randomBytes(24).toString('base64url');
        valid.add(token);
        state.tokensIssued++;
        return json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
      }

      if (req.method === 'GET' && decodeURIComponent(url.pathname) === "/api/data/v9.2/EntityDefinitions(LogicalName='wcp_whatsappconversation')") {
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!bearer || !valid.has(bearer)) return void res.writeHead(401).end();
        if (!tableImported) return json(res, 404, odataError('0x80060888', "Could not find entity with LogicalName = 'wcp_whatsappconversation'."));
        return json(res, 200, { LogicalName: 'wcp_whatsappconversation', MetadataId: 'f2c1a6de-0000-4000-8000-000000000001' });
      }

      const match = /^\/api\/data\/v9\.2\/(\w+)\(([^)]+)\)$/.exec(url.pathname);
      if (!match) return json(res, 404, odataError('0x8006088a', `Resource not found for the segment '${url.pathname}'.`));
      const [, entitySet, id] = match as unknown as [string, string, string];
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !valid.has(token)) {
        res.writeHead(401, { 'www-authenticate': `Bearer authorization_uri=${origin}/${FAKE_TENANT}/oauth2/authorize, resource_id=${origin}/` }).end();
        return;
      }
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return json(res, 400, odataError('0x80060888', 'The request body is not valid JSON.'));
      }
      if (state.latencyMs > 0) {
        state.inFlight++;
        await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
        state.inFlight--;
      }
      const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
        requests.push({ id, status, body: row });
        if (payload === undefined) res.writeHead(status, { 'odata-version': '4.0', ...headers }).end();
        else json(res, status, payload, headers);
      };
      if (req.method !== 'PATCH') return answer(405, odataError('0x80060888', `${req.method} is not supported here.`));
      if (req.headers['odata-version'] !== undefined && req.headers['odata-version'] !== '4.0') return answer(400, odataError('0x80060888', 'OData-Version must be 4.0.'));
      if (failures.count > 0) {
        failures.count--;
        if (failures.status === 429) {
          return answer(429, odataError('0x80072322', 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.'), { 'retry-after': String(failures.retryAfter ?? 1) });
        }
        return answer(failures.status, odataError('0x80040216', 'An unexpected error occurred.'));
      }
      if (denied) return answer(403, odataError('0x80040220', `Principal user (Id=${FAKE_CLIENT_ID}, type=8, roleCount=0) is missing prvCreatewcp_whatsappconversation privilege.`));
      if (entitySet !== 'wcp_whatsappconversations') return answer(404, odataError('0x80060888', `Resource not found for the segment '${entitySet}'.`));
      if (!GUID.test(id)) return answer(400, odataError('0x80060888', `Bad Request - Error in query syntax: '${id}' is not a valid key.`));
      for (const [key, value] of Object.entries(row)) {
        if (REGARDING.test(key)) {
          if (typeof value !== 'string' || !/^\/(contacts|accounts|incidents)\([0-9a-f-]{36}\)$/i.test(value)) {
            return answer(400, odataError('0x80060888', `The value '${String(value)}' of ${key} is not a valid entity reference.`));
          }
        } else if (!ACTIVITY_COLUMNS.has(key)) {
          return answer(400, odataError('0x80060891', `An undeclared property '${key}' which only has property annotations in the payload but no property value was found in the payload.`));
        }
      }
      if (typeof row.wcp_transcript === 'string' && row.wcp_transcript.length > 1_048_576) {
        return answer(400, odataError('0x80044331', 'A validation error occurred. The length of the wcp_transcript attribute exceeded the maximum allowed length of 1048576.'));
      }
      // An activity is created open: its state can only change on a row that exists.
      if (!activities.has(id) && 'statecode' in row) {
        return answer(400, odataError('0x80040203', "The 'statecode' attribute is not valid for create."));
      }
      activities.set(id, { ...activities.get(id), ...row });
      return answer(204, undefined, { 'odata-entityid': `${origin}/api/data/v9.2/${entitySet}(${id})` });
    })().catch((error: unknown) => json(res, 500, odataError('0x80040216', String(error))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  return {
    url: origin,
    activities,
    requests,
    get tokensIssued() {
      return state.tokensIssued;
    },
    get inFlight() {
      return state.inFlight;
    },
    setLatency(ms) {
      state.latencyMs = ms;
    },
    failNext(count, status, retryAfterSeconds) {
      failures = { count, status, retryAfter: retryAfterSeconds };
    },
    expireTokens() {
      valid.clear();
    },
    denyPrivilege(deny) {
      denied = deny;
    },
    setTableImported(imported) {
      tableImported = imported;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
