/**
 * Cutting the database's connections must not kill the relays. Two relay processes share
 * a throwaway PostgreSQL database; webhooks go to one, an agent's event stream lives on the
 * other (so its events arrive through LISTEN/NOTIFY). Every backend of the database is
 * terminated, several times, while webhooks keep coming. Both relays stay up; webhooks are
 * stored again (200) and /readyz is ready again within a bounded time; the LISTEN
 * connections come back and the stream receives every message stored after the cuts; no
 * webhook was answered 200 without being stored, and nothing answered a bare 500.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { mintDevToken } from '../../src/auth/tokens.ts';
import { isConnectionError } from '../../src/store/postgres/connection.ts';
import { signTwilioRequest } from '../../src/twilio/signature.ts';
import { startFakeTwilioServer, type FakeTwilioServer } from '../fakes/twilio-api-server.ts';
import { ResumableStream, spawnRelay, twilioRelayEnv, until, type RelayProcess } from '../helpers/processes.ts';
import { TEST_DATABASE_URL, postgresUnavailable } from '../store/postgres-harness.ts';

const PUBLIC_URL = 'https://relay.cut-test.invalid';
const AUTH_SECRET = randomBytes(32).toString('hex');
const BUSINESS = '+14155238886';
const CUSTOMER = '+447700900901';
const CUTS = 3;
/**
 * After a cut, how long the relay may take to store webhooks, be ready and LISTEN again. Alone it
 * takes well under a second; the bound is generous because a loaded CI machine stretches every step.
 */
const RECOVERY_MS = 20_000;

describe('isConnectionError', () => {
  it('recognises lost and refused connections, not statement errors', () => {
    for (const code of ['57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNREFUSED', 'ECONNRESET']) {
      assert.equal(isConnectionError(Object.assign(new Error('x'), { code })), true, code);
    }
    assert.equal(isConnectionError(new Error('Connection terminated unexpectedly')), true);
    assert.equal(isConnectionError(new Error('Connection terminated')), true);
    assert.equal(isConnectionError(new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })])), true);
    assert.equal(isConnectionError(Object.assign(new Error('duplicate key'), { code: '23505' })), false);
    assert.equal(isConnectionError(Object.assign(new Error('syntax'), { code: '42601' })), false);
    assert.equal(isConnectionError(new Error('not found')), false);
    assert.equal(isConnectionError(undefined), false);
  });
});

// Without PostgreSQL this is skipped silently (in CI it fails): postgres.test.ts prints the one line.
const unavailable = await postgresUnavailable();

if (!unavailable) {
  describe('cutting every database connection under two relays', { timeout: 120_000 }, () => {
    const database = `wcp_t_cut_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    admin.on('error', () => undefined);
    let fake: FakeTwilioServer;
    let relays: (RelayProcess & { url: string })[] = [];
    let token: string;
    let stream: ResumableStream | undefined;
    let databaseUrl: string;

    before(async () => {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
      const url = new URL(TEST_DATABASE_URL);
      url.pathname = `/${database}`;
      databaseUrl = url.toString();
      fake = await startFakeTwilioServer();
      const env = twilioRelayEnv({
        publicUrl: PUBLIC_URL,
        databaseUrl: databaseUrl,
        twilio: { accountSid: fake.twilio.accountSid, authToken: fake.twilio.authToken, url: fake.url },
        business: BUSINESS,
        authSecret: AUTH_SECRET,
      });
      // One after the other: the first migrates the fresh database.
      for (let i = 0; i < 2; i++) {
        const child = spawnRelay(env, 30_000);
        relays.push(Object.assign(child, { url: await child.listening }));
      }
      token = await mintDevToken(AUTH_SECRET, { id: 'sup-cut', name: 'Cut Supervisor', role: 'supervisor' });
    });

    after(async () => {
      stream?.close();
      // Every child by its own pid: SIGTERM, then SIGKILL if it lingers.
      await Promise.all(
        relays.map(async (r) => {
          if (!r.alive()) return;
          const force = setTimeout(() => r.proc.kill('SIGKILL'), 5000);
          r.proc.kill('SIGTERM');
          await r.exited;
          clearTimeout(force);
        }),
      );
      relays = [];
      await fake?.close();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    });

    const statuses: number[] = [];
    /** Bodies answered 200: each must reach the agent. */
    const stored: string[] = [];
    let n = 0;
    const inbound = (): Record<string, string> => ({
      MessageSid: 'SM' + randomBytes(16).toString('hex'),
      AccountSid: fake.twilio.accountSid,
      From: `whatsapp:${CUSTOMER}`,
      To: `whatsapp:${BUSINESS}`,
      Body: `cut message ${n++}`,
      NumMedia: '0',
      ProfileName: 'Cut Customer',
      WaId: CUSTOMER.slice(1),
    });

    /** One delivery attempt; the answer's status (0 if the connection failed). */
    const post = async (relay: { url: string }, params: Record<string, string>): Promise<number> => {
      const signature = signTwilioRequest(fake.twilio.authToken, `${PUBLIC_URL}/twilio/inbound`, params);
      try {
        const res = await fetch(`${relay.url}/twilio/inbound`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
          body: new URLSearchParams(params).toString(),
        });
        await res.text();
        statuses.push(res.status);
        if (res.status === 200) stored.push(params.Body!);
        return res.status;
      } catch {
        return 0;
      }
    };

    /** Twilio's way: the same webhook again until it is answered 200. */
    const deliver = (relay: { url: string }, params: Record<string, string>, ms: number) =>
      until(`webhook "${params.Body}" to be stored`, ms, async () => (await post(relay, params)) === 200);

    const cut = async (): Promise<number> => {
      const res = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
      return res.rowCount ?? 0;
    };

    const listeners = async (): Promise<number> => {
      const res = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'wcp-relay-bus' AND query LIKE 'LISTEN %'`,
        [database],
      );
      return res.rows[0]!.n;
    };

    it('keeps both relays alive, storing webhooks and streaming their events again after each cut', async (t) => {
      const [a, b] = relays as [RelayProcess & { url: string }, RelayProcess & { url: string }];
      stream = new ResumableStream(token);
      await stream.connect(b.url);
      const seen = (body: string) => stream!.events.some((e) => e.type === 'message' && (e.data.message as { body?: string } | undefined)?.body === body);

      // Before any cut: webhooks on a reach the stream on b.
      for (let i = 0; i < 3; i++) await deliver(a, inbound(), 10_000);
      await until('the first messages on the stream', 10_000, () => stored.every(seen));
      assert.equal(await listeners(), 2, 'each relay LISTENs');

      const recoveries: number[] = [];
      for (let round = 1; round <= CUTS; round++) {
        const killed = await cut();
        assert.ok(killed > 0, `round ${round}: the relays had connections to cut`);
        // Webhooks arriving right after the cut, and an agent API call: 200 or 503, never a crash or a bare 500.
        const during = Array.from({ length: 4 }, () => inbound());
        await Promise.all(during.map((params, i) => post(i % 2 ? b : a, params)));
        const api = await fetch(`${a.url}/api/v1/conversations`, { headers: { authorization: `Bearer ${token}` } });
        const apiBody = (await api.json()) as { error?: string };
        assert.ok(api.status === 200 || (api.status === 503 && apiBody.error === 'store_unavailable'), `agent API answered ${api.status} ${JSON.stringify(apiBody)}`);
        await cut();

        const started = Date.now();
        // Twilio redelivers what was refused; new webhooks are stored too.
        for (const params of during) await deliver(a, params, RECOVERY_MS);
        const fresh = inbound();
        await deliver(a, fresh, RECOVERY_MS);
        for (const relay of [a, b]) {
          await until(`${relay.url} /readyz to be 200`, RECOVERY_MS, async () => (await fetch(`${relay.url}/readyz`).catch(() => null))?.status === 200);
        }
        await until('both relays to LISTEN again', RECOVERY_MS, async () => (await listeners()) === 2);
        // b hears about a's writes again through NOTIFY (or its re-read after reconnecting).
        await until(`round ${round}: the stream on b to get "${fresh.Body}"`, RECOVERY_MS, () => seen(fresh.Body!));
        recoveries.push(Date.now() - started);
        assert.ok(Date.now() - started < 2 * RECOVERY_MS, `round ${round}: recovered in ${Date.now() - started} ms`);
        assert.ok(a.alive() && b.alive(), `round ${round}: a relay died:\n${a.output()}\n${b.output()}`);
      }

      // After the last cut, a message written on a arrives on b by NOTIFY, well before b's 5 s safety poll would.
      const last = inbound();
      await deliver(a, last, RECOVERY_MS);
      const sent = Date.now();
      await until('the last message on the stream', RECOVERY_MS, () => seen(last.Body!));
      const took = Date.now() - sent;
      assert.ok(took < 4000, `the last message took ${took} ms to reach b: LISTEN is not working`);
      t.diagnostic(`figures ${JSON.stringify({ recoveryMs: recoveries, lastMessageToOtherInstanceMs: took })}`);

      // Every webhook answered 200 was stored: the agent got each of them.
      await until('every stored message on the stream', RECOVERY_MS, () => stored.every(seen));
      const rows = new pg.Client({ connectionString: databaseUrl });
      await rows.connect();
      try {
        const bodies = new Set((await rows.query<{ body: string }>(`SELECT body FROM messages WHERE direction = 'inbound'`)).rows.map((r) => r.body));
        for (const body of stored) assert.ok(bodies.has(body), `"${body}" was answered 200 but is not stored`);
      } finally {
        await rows.end();
      }
      assert.deepEqual(
        statuses.filter((s) => s !== 200 && s !== 503),
        [],
        'webhooks are answered 200 (stored) or 503 (store unavailable), nothing else',
      );
      assert.ok(a.alive() && b.alive(), 'both relays are alive');
      assert.doesNotMatch(a.output() + b.output(), /Unhandled 'error' event/);
    });
  });
}
