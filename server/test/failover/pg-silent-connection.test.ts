/**
 * A network that drops the database's connections silently (a partition, a failed-over host:
 * no reset, so TCP would wait ~15 minutes or for ever). The event hub reads the log one batch at
 * a time; a read on such a connection must not hold every later event of the instance: the
 * query times out, its connection is destroyed, and the next read runs on a new one.
 * (Found by a review probe; before the store's query timeout nothing arrived for as long as the
 * test waited.)
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import pino from 'pino';
import { PostgresBus } from '../../src/bus/postgres.ts';
import { isConnectionError } from '../../src/store/postgres/connection.ts';
import { EventHub } from '../../src/events/hub.ts';
import { PostgresStore } from '../../src/store/postgres-store.ts';
import { inbound } from '../store/contract.ts';
import { TEST_DATABASE_URL, dropSchemas, postgresUnavailable, schemaName, urlForSchema } from '../store/postgres-harness.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
/** The test's store gives up on a query after this long (production: 30 s, postgres-database.ts). */
const QUERY_TIMEOUT_MS = 1_000;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP proxy to PostgreSQL whose open connections can be made silent (nothing passes, nothing closes); new ones still pass. */
async function silencingProxy(): Promise<{ url: (schema: string) => string; silence: () => void; close: () => Promise<void> }> {
  const target = new URL(TEST_DATABASE_URL);
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const silenced: net.Socket[] = [];
  return {
    url: (schema) => {
      const url = new URL(urlForSchema(schema));
      url.host = `127.0.0.1:${port}`;
      return url.toString();
    },
    silence: () => {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
        silenced.push(client, upstream);
      }
      pairs.clear();
    },
    close: async () => {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      for (const socket of silenced) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('isConnectionError', () => {
  it('takes a query that timed out waiting for its answer as a lost connection (503, not 500)', () => {
    assert.equal(isConnectionError(new Error('Query read timeout')), true);
  });
});

// Without PostgreSQL this is skipped silently (in CI it fails): postgres.test.ts prints the one line.
const unavailable = await postgresUnavailable();

if (!unavailable) {
  describe('an event hub whose read went out on a connection the network then silenced', { timeout: 60_000 }, () => {
    it("keeps delivering: other instances' events and the instance's own webhooks reach the stream", async () => {
      const schema = schemaName('silent');
      const proxy = await silencingProxy();
      const a = PostgresStore.fromUrl(urlForSchema(schema), { announceAs: 'inst-a', max: 4 });
      await a.migrate();
      // Instance b: its store's connections go through the proxy; its LISTEN connection does not.
      const bStore = PostgresStore.fromUrl(proxy.url(schema), { announceAs: 'inst-b', max: 2, queryTimeoutMs: QUERY_TIMEOUT_MS });
      const bBus = new PostgresBus(urlForSchema(schema), { origin: 'inst-b', storeAnnouncesEvents: true });
      await bBus.start();
      const hub = new EventHub(bStore, bBus, pino({ level: 'silent' }));
      const got: number[] = [];
      await hub.subscribe({ viewer: { agentId: 'sue', supervisor: true }, deliver: (events) => got.push(...events.map((e) => e.id)) });
      try {
        // b's pool holds its connections open, and delivery works.
        const first = await a.appendEvent('presence', 'sue', { agentId: 'x', presence: 'available' });
        await Promise.all([bStore.latestEventId(), bStore.latestEventId()]);
        for (let i = 0; i < 100 && !got.includes(first); i++) await settle(20);
        assert.ok(got.includes(first), 'delivered before the network failure');

        proxy.silence();
        // Too large for the wake-up to carry: b's hub must read it, on a pooled connection now silent.
        const big = await a.appendEvent('presence', 'sue', { agentId: 'y'.repeat(9000), presence: 'available' });
        await settle(200);
        // Later commits on a carry their events in the wake-up; a webhook on b itself commits on a new
        // group connection and is handed to b's hub as routes/twilio.ts does.
        const later: number[] = [];
        for (let i = 0; i < 3; i++) later.push(...(await a.recordInbound(inbound({ from: `+4477009077${i}`, receivedAt: T0 + i }))).events!.map((e) => e.id));
        const own = await bStore.recordInbound(inbound({ from: '+447700907799', receivedAt: T0 }));
        if (!hub.offer(own.events!)) bBus.publish('events');
        later.push(...own.events!.map((e) => e.id));

        // The stuck read times out after 1 s; the hub's safety poll (5 s) or the next wake-up reads again.
        for (let i = 0; i < 120 && !later.every((id) => got.includes(id)); i++) await settle(100);
        assert.deepEqual(got.filter((id) => id > first), [big, ...later], 'every event committed after the failure, once, in order');
      } finally {
        hub.stop();
        await bBus.close();
        await proxy.close();
        await Promise.race([bStore.close(), settle(2000)]);
        await a.close();
        await dropSchemas([schema]);
      }
    });
  });
}
