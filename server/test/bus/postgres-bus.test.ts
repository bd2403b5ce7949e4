/** PostgresBus: a NOTIFY from one instance wakes another; a dropped listener reconnects and re-polls. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { PostgresBus } from '../../src/bus/postgres.ts';
import type { BusTopic } from '../../src/bus/port.ts';
import { TEST_DATABASE_URL, postgresUnavailable, schemaName, urlForSchema } from '../store/postgres-harness.ts';

// Without PostgreSQL these are skipped silently: postgres.test.ts prints the one line.
const unavailable = await postgresUnavailable();

/** Records wake-ups per topic, and lets a test wait for the next one. */
function recorder(bus: PostgresBus) {
  const counts: Record<BusTopic, number> = { events: 0, outbox: 0 };
  const signal = new EventEmitter();
  for (const topic of ['events', 'outbox'] as const) {
    bus.subscribe(topic, () => {
      counts[topic]++;
      signal.emit(topic);
    });
  }
  const next = (topic: BusTopic, ms = 3000) => once(signal, topic, { signal: AbortSignal.timeout(ms) });
  return { counts, next };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (!unavailable) {
  describe('PostgresBus', () => {
    const schema = schemaName('bus');
    let a: PostgresBus;
    let b: PostgresBus;
    let other: PostgresBus;

    before(async () => {
      a = new PostgresBus(urlForSchema(schema));
      b = new PostgresBus(TEST_DATABASE_URL, { schema, minBackoffMs: 50 });
      other = new PostgresBus(urlForSchema(schemaName('bus')));
      await Promise.all([a.start(), b.start(), other.start()]);
    });
    after(async () => {
      await Promise.all([a?.close(), b?.close(), other?.close()]);
    });

    it('wakes a subscriber on another instance, on the published topic only', async () => {
      const onB = recorder(b);
      const onOther = recorder(other);
      const woken = onB.next('events');
      a.publish('events');
      await woken;
      await settle(100);
      assert.deepEqual(onB.counts, { events: 1, outbox: 0 });
      assert.deepEqual(onOther.counts, { events: 0, outbox: 0 }, 'another schema is another deployment');
    });

    it('fires local listeners at once and does not echo its own notification', async () => {
      const onA = recorder(a);
      a.publish('outbox');
      assert.equal(onA.counts.outbox, 1);
      await settle(200);
      assert.equal(onA.counts.outbox, 1);
    });

    it('coalesces a burst into one notification per topic', async () => {
      const onB = recorder(b);
      for (let i = 0; i < 50; i++) a.publish('events');
      await onB.next('events');
      await settle(200);
      assert.equal(onB.counts.events, 1);
    });

    const carriedEvent = { id: 43, type: 'window', agentId: 'alice', data: { conversationId: 'cv_1', windowExpiresAt: null } };

    it('passes on the newest event id a commit names (and its events), and ignores the wake-ups of its own store', async () => {
      // As in production (store/open-store.ts): the store announces events in its commits under the bus's origin.
      const mine = new PostgresBus(urlForSchema(schema), { origin: 'instance-c', storeAnnouncesEvents: true });
      await mine.start();
      try {
        const onB = recorder(b);
        const onMine = recorder(mine);
        const ids: (number | undefined)[] = [];
        const carried: unknown[] = [];
        b.subscribe('events', (upTo, events) => {
          ids.push(upTo);
          carried.push(events);
        });
        const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await admin.connect();
        try {
          // What PgTx.commit sends for a commit by instance-c whose newest event is 42.
          let woken = onB.next('events');
          await admin.query('SELECT pg_notify($1, $2)', [`wcp_${schema}`, 'events:instance-c:42']);
          await woken;
          // … and for one whose events fit in the payload, with them.
          woken = onB.next('events');
          await admin.query('SELECT pg_notify($1, $2)', [`wcp_${schema}`, `events:instance-c:43:${JSON.stringify([carriedEvent])}`]);
          await woken;
        } finally {
          await admin.end();
        }
        assert.deepEqual(ids, [42, 43]);
        assert.deepEqual(carried, [undefined, [carriedEvent]]);
        mine.publish('events');
        assert.equal(onMine.counts.events, 1, 'publish wakes its own listeners at once');
        await settle(200);
        assert.equal(onMine.counts.events, 1, 'its own store’s wake-up is not heard again');
        assert.equal(onB.counts.events, 2, 'publish sends no NOTIFY of its own: the commit did');
      } finally {
        await mine.close();
      }
    });

    it('reconnects after the listening connection drops, wakes every reader once, and hears again', async () => {
      const onB = recorder(b);
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      try {
        const killed = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'wcp-relay-bus' AND query = $1 AND pid <> pg_backend_pid()`,
          [`LISTEN wcp_${schema}`],
        );
        assert.equal(killed.rowCount, 2, 'both listening connections of this schema were terminated');
      } finally {
        await admin.end();
      }
      await Promise.all([onB.next('events'), onB.next('outbox')]);
      assert.deepEqual(onB.counts, { events: 1, outbox: 1 }, 'a re-poll wake-up after reconnecting');
      // a reconnects too (default backoff); give both a moment before publishing.
      await settle(300);
      const woken = onB.next('outbox');
      a.publish('outbox');
      await woken;
      assert.equal(onB.counts.outbox, 2);
    });
  });
}
