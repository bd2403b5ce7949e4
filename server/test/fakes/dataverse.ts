/**
 * The relay's fake Dataverse Web API and Entra ID token endpoint (server/src/demo/fake-dataverse.ts,
 * the one the demo relay mounts) on a port of its own on 127.0.0.1, both at its root: the
 * tests point DATAVERSE_URL and ENTRA_AUTHORITY_HOST at it and steer its faults.
 */
import { createServer, type Server } from 'node:http';
import { FAKE_CLIENT_ID, FAKE_TENANT, FakeDataverseService } from '../../src/demo/fake-dataverse.ts';

export { FAKE_CLIENT_ID, FAKE_TENANT };
export const FAKE_CLIENT_SECRET = 'fake-dataverse-client-secret';

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
  /** A contact, account or case is deleted in the CRM: binding a lookup to it is a 404. */
  deleteRecord(id: string): void;
  /** The ids deleteRecord deleted (lower case). */
  deletedRecords: Set<string>;
  /** Whether the solution (and so the activity table) is imported; default true. */
  setTableImported(imported: boolean): void;
  close(): Promise<void>;
}

export async function startFakeDataverse(): Promise<FakeDataverse> {
  let origin = '';
  const service = new FakeDataverseService({ url: () => origin, clientSecret: FAKE_CLIENT_SECRET });
  const server: Server = createServer((req, res) => {
    void (async () => {
      let body = '';
      for await (const chunk of req) body += (chunk as Buffer).toString();
      const url = new URL(req.url ?? '/', origin);
      const answer = await service.handle({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body });
      res.writeHead(answer.status, answer.headers).end(answer.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  return {
    url: origin,
    activities: service.activities,
    requests: service.requests,
    deletedRecords: service.deletedRecords,
    get tokensIssued() {
      return service.tokensIssued;
    },
    get inFlight() {
      return service.inFlight;
    },
    setLatency(ms) {
      service.latencyMs = ms;
    },
    failNext(count, status, retryAfterSeconds) {
      service.failures = { count, status, retryAfter: retryAfterSeconds };
    },
    expireTokens: () => service.expireTokens(),
    denyPrivilege(deny) {
      service.denied = deny;
    },
    deleteRecord(id) {
      service.deletedRecords.add(id.toLowerCase());
    },
    setTableImported(imported) {
      service.tableImported = imported;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
