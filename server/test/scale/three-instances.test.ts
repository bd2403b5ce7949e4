/**
 * Scale-out end to end: three relay processes on one PostgreSQL schema, behind one public
 * address (PUBLIC_URL; the test plays the load balancer and Twilio). Webhooks and agent
 * actions are spread across the instances, the agent's event stream lives on another,
 * one instance is SIGKILLed mid-run with sends in flight, and at the end every customer
 * message reached the agent once and in order, and every reply reached Twilio once. An
 * agent's request limits hold once across the instances.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { mintDevToken } from '../../src/auth/tokens.ts';
import { signTwilioRequest } from '../../src/twilio/signature.ts';
import { startFakeTwilioServer, type FakeTwilioServer } from '../fakes/twilio-api-server.ts';
import { ResumableStream, spawnRelay, twilioRelayEnv, until, type RelayProcess } from '../helpers/processes.ts';
import { dropSchemas, postgresUnavailable, schemaName, urlForSchema } from '../store/postgres-harness.ts';

/** The address Twilio and agents use; every instance checks signatures against it. */
const PUBLIC_URL = 'https://relay.scale-test.invalid';
const AUTH_SECRET = randomBytes(32).toString('hex');
const BUSINESS = '+14155238886';
const CUSTOMER = '+447700900900';
const START_TIMEOUT_MS = 30_000;

// Without PostgreSQL this is skipped silently: postgres.test.ts prints the one line.
const unavailable = await postgresUnavailable();

interface Relay extends RelayProcess {
  name: string;
  url: string;
}

async function startRelay(name: string, env: Record<string, string>): Promise<Relay> {
  const child = spawnRelay(env, START_TIMEOUT_MS);
  return { ...child, name, url: await child.listening };
}

if (!unavailable) {
  describe('three relay instances on one PostgreSQL database', { timeout: 180_000 }, () => {
    const schema = schemaName('scale');
    let fake: FakeTwilioServer;
    let relays: Relay[] = [];
    let token: string;

    before(async () => {
      fake = await startFakeTwilioServer();
      const env = twilioRelayEnv({
        publicUrl: PUBLIC_URL,
        databaseUrl: urlForSchema(schema),
        twilio: { accountSid: fake.twilio.accountSid, authToken: fake.twilio.authToken, url: fake.url },
        business: BUSINESS,
        authSecret: AUTH_SECRET,
      });
      // All three at once: they race to migrate the fresh schema.
      relays = await Promise.all(['relay-a', 'relay-b', 'relay-c'].map((name) => startRelay(name, env)));
      token = await mintDevToken(AUTH_SECRET, { id: 'agent-scale', name: 'Scale Agent' });
    });

    after(async () => {
      await Promise.all(
        relays.filter((r) => r.alive()).map(
          (r) =>
            new Promise<void>((resolve) => {
              const force = setTimeout(() => r.proc.kill('SIGKILL'), 5000);
              r.proc.once('exit', () => {
                clearTimeout(force);
                resolve();
              });
              r.proc.kill('SIGTERM');
            }),
        ),
      );
      await fake?.close();
      await dropSchemas([schema]);
    });

    const api = async (relay: Relay, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${relay.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };

    /** Twilio's delivery: signed against PUBLIC_URL, retried on the next instance when one fails. */
    const deliver = async (path: string, params: Record<string, string>, targets: Relay[]): Promise<void> => {
      const signature = signTwilioRequest(fake.twilio.authToken, PUBLIC_URL + path, params);
      for (const relay of targets) {
        try {
          const res = await fetch(relay.url + path, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
            body: new URLSearchParams(params).toString(),
          });
          await res.text();
          if (res.status === 200) return;
        } catch {
          // Connection refused or reset: the instance is gone; Twilio retries elsewhere.
        }
      }
      throw new Error(`no instance took ${path}`);
    };

    const live = () => relays.filter((r) => r.alive());
    const inboundBodies: string[] = [];
    const inboundParams = (n: number): Record<string, string> => {
      const body = `customer message ${n}`;
      inboundBodies.push(body);
      return {
        MessageSid: 'SM' + randomBytes(16).toString('hex'),
        AccountSid: fake.twilio.accountSid,
        From: `whatsapp:${CUSTOMER}`,
        To: `whatsapp:${BUSINESS}`,
        Body: body,
        NumMedia: '0',
        ProfileName: 'Scale Customer',
        WaId: CUSTOMER.slice(1),
      };
    };

    it('delivers every message once, in order, across instances and a SIGKILL', async () => {
      const [a, b, c] = relays as [Relay, Relay, Relay];
      const stream = new ResumableStream(token);
      await stream.connect(c.url);
      assert.equal((await api(a, 'PUT', '/me/presence', { presence: 'available' })).status, 200);

      // The first message opens a conversation; routing (on any instance) offers it to the agent.
      await deliver('/twilio/inbound', inboundParams(0), [b]);
      const offer = await until('the offer', 15_000, () => stream.events.find((e) => e.type === 'offer'));
      const conversationId = String(offer.data.conversationId);
      assert.equal((offer.data.firstMessage as { body: string }).body, 'customer message 0');
      assert.equal((await api(b, 'POST', `/conversations/${conversationId}/accept`)).status, 200);

      const replies: string[] = [];
      const reply = async (relay: Relay, n: number, fallback?: Relay) => {
        const body = { body: `agent reply ${n}`, clientId: `reply-${n}` };
        replies.push(body.body);
        let res = await api(relay, 'POST', `/conversations/${conversationId}/messages`, body).catch(() => null);
        // The panel's outbox resends with the same clientId when an instance fails it.
        if ((!res || res.status !== 202) && fallback) res = await api(fallback, 'POST', `/conversations/${conversationId}/messages`, body);
        assert.equal(res?.status, 202, JSON.stringify(res?.body));
      };

      // Before the kill: webhooks round-robin, some delivered to two instances at once
      // (Twilio retrying a slow answer), replies from every instance.
      let n = 1;
      for (; n <= 15; n++) {
        const params = inboundParams(n);
        const first = relays[n % 3]!;
        if (n % 4 === 0) await Promise.all([deliver('/twilio/inbound', params, [first]), deliver('/twilio/inbound', params, [relays[(n + 1) % 3]!])]);
        else await deliver('/twilio/inbound', params, [first]);
        if (n % 3 === 0) await reply(relays[(n + 1) % 3]!, n);
      }

      // Twilio turns slow; a, which takes these replies, claims and sends them itself
      // (its own bus wakes it first) and dies before hearing back.
      fake.twilio.delayNext(1500, 3);
      const before = fake.twilio.createRequests.length;
      for (const k of [100, 101, 102]) await reply(a, k);
      await until('the in-flight sends to reach Twilio', 10_000, () => fake.twilio.createRequests.length >= before + 3 || undefined).catch(() => undefined);
      const inflightWebhook = inboundParams(n++);
      const racing = deliver('/twilio/inbound', inflightWebhook, [a]).catch(() => undefined);
      a.proc.kill('SIGKILL');
      await until('a to exit', 5000, () => !a.alive());
      await racing;
      // Twilio never got a clean answer from a: it delivers again, to a live instance.
      await deliver('/twilio/inbound', inflightWebhook, [b, c]);

      // After the kill: the survivors carry on; the agent's stream moves to b halfway.
      for (const end = n + 14; n <= end; n++) {
        const params = inboundParams(n);
        if (n % 5 === 0) await Promise.all([deliver('/twilio/inbound', params, [b]), deliver('/twilio/inbound', params, [c])]);
        else await deliver('/twilio/inbound', params, [live()[n % 2]!]);
        if (n % 3 === 0) await reply(a, n, live()[n % 2]!);
        if (n === 25) await stream.connect(b.url);
      }

      // Twilio's status callbacks (to the public address, so to any live instance) name
      // our message id: sends a never recorded are adopted, not repeated.
      const reported = new Set<string>();
      const transcript = async () => {
        const items: { direction: string; body: string; status: string; id: string }[] = [];
        let before: string | null = null;
        do {
          const page = await api(b, 'GET', `/conversations/${conversationId}/messages${before ? `?before=${before}` : ''}`);
          items.unshift(...(page.body.items as typeof items));
          before = (page.body.next as string | null) ?? null;
        } while (before);
        return items;
      };
      const settled = await until('every reply to be sent and reported', 120_000, async () => {
        for (const m of fake.twilio.sent) {
          if (reported.has(m.sid) || !m.statusCallback) continue;
          const path = m.statusCallback.slice(PUBLIC_URL.length);
          await deliver(path, { MessageSid: m.sid, MessageStatus: 'delivered', AccountSid: m.accountSid, From: m.from, To: m.to }, live());
          reported.add(m.sid);
        }
        const items = await transcript();
        const outbound = items.filter((m) => m.direction === 'outbound');
        return outbound.length === replies.length && outbound.every((m) => m.status === 'delivered') && items;
      });

      // Every reply reached Twilio exactly once.
      const created = fake.twilio.createRequests.filter((r) => r.outcome.kind === 'created').map((r) => r.form.Body?.[0]);
      assert.deepEqual([...created].sort(), [...replies].sort(), 'each reply created once at Twilio');
      assert.deepEqual(fake.twilio.sent.map((m) => m.body).sort(), [...replies].sort());

      // The transcript holds each customer message once, in the order Twilio delivered them.
      assert.deepEqual(settled.filter((m) => m.direction === 'inbound').map((m) => m.body), inboundBodies);

      // The agent's stream, across two instances: the offer carried message 0, then every
      // later customer message once, in order; each reply once; event ids only increase.
      await until('the stream to catch up', 15_000, () => {
        const seen = stream.events.filter((e) => e.type === 'message').length;
        return seen >= inboundBodies.length - 1 + replies.length || undefined;
      });
      const ids = stream.events.map((e) => e.id);
      assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]!), 'event ids increase, none repeated');
      const messages = stream.events.filter((e) => e.type === 'message').map((e) => e.data.message as { direction: string; body: string });
      assert.deepEqual(messages.filter((m) => m.direction === 'inbound').map((m) => m.body), inboundBodies.slice(1));
      assert.deepEqual(messages.filter((m) => m.direction === 'outbound').map((m) => m.body).sort(), [...replies].sort());
      stream.close();
    });

    it("counts an agent's request limits once across the instances, not once per instance", async () => {
      // Transcript search allows an agent 60 a minute: asked of the live instances in turn
      // (a load balancer without sticky sessions), the 61st is refused wherever it lands.
      const statuses: number[] = [];
      for (let i = 0; i < 61; i++) statuses.push((await api(live()[i % live().length]!, 'GET', '/search?q=parcel')).status);
      assert.deepEqual(statuses.slice(0, 60), Array(60).fill(200));
      const refused = await api(live()[0]!, 'GET', '/search?q=parcel');
      assert.equal(statuses[60], 429);
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error, 'rate_limited');
      assert.match(String(refused.body.message), /the limit is 60 a minute/);
      // Another limit counts apart: a reply still goes.
      const conversations = (await api(live()[1]!, 'GET', '/conversations?state=active')).body.items as { id: string }[];
      const sent = await api(live()[1]!, 'POST', `/conversations/${conversations[0]!.id}/messages`, { body: 'still within the send limit', clientId: 'limit-check' });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
    });
  });
}
