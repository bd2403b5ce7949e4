/**
 * One of two relays on PostgreSQL is killed (SIGKILL) under steady load: a couple of hundred
 * signed webhooks a second spread over both, agents' event streams on both, agents
 * accepting offers and replying. Just before the kill, Twilio's answers to the doomed
 * instance are held back, so it dies with sends Twilio has taken but it never recorded.
 *
 * Afterwards, from the database and from what the agents received:
 * - every webhook stored exactly once: those answered 200, and those that got a failed
 *   connection and were delivered again to the survivor (as Twilio does);
 * - every agent (those on the killed instance moved to the survivor with Last-Event-ID)
 *   saw every event of its log once: no gap, no duplicate;
 * - the sends the killed instance had claimed are completed by the survivor once their
 *   lease runs out (the test moves the lease's end to now instead of waiting 60 s), asking
 *   Twilio first: no reply reached Twilio twice;
 * - the figures: how long agents were without a stream, how long webhooks took around the
 *   kill, and the double-send window (a send's claim to its recorded result).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { until } from '../helpers/processes.ts';
import { postgresUnavailable } from '../store/postgres-harness.ts';
import { PgDeployment, Traffic, replyFaults, sleep, summary, type Relay } from './cluster.ts';

const RATE = 200;
const REPLY_RATE = 15;
const unavailable = await postgresUnavailable();

describe('kill -9 of one of two relays under load', { skip: unavailable ?? false, timeout: 90_000 }, () => {
  const d = new PgDeployment('kill');
  let a: Relay;
  let b: Relay;
  let traffic: Traffic | undefined;

  before(async () => {
    await d.open(['a', 'b'], { proxies: true });
    [a, b] = await Promise.all([d.start('a'), d.start('b')]);
    // The double-send window, measured in the database: when each outbox row (claimed at
    // inflight_since) is deleted, that is, its result recorded.
    await d.query(`CREATE TABLE $schema.send_log (message_id text, inflight_since double precision, recorded_at double precision)`);
    await d.query(`CREATE FUNCTION $schema.log_send() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO ${d.schema}.send_log VALUES (OLD.message_id, OLD.inflight_since, extract(epoch FROM clock_timestamp()) * 1000); RETURN OLD; END $$`);
    await d.query(`CREATE TRIGGER log_send AFTER DELETE ON $schema.outbox FOR EACH ROW EXECUTE FUNCTION $schema.log_send()`);
  });

  after(async () => {
    await traffic?.close();
    await d.close();
  });

  it('stores every webhook once, delivers every event once, sends every reply once', async (t) => {
    const all = [a.url, b.url];
    // The load balancer: both until its health check notices the dead one (2 s), then the living.
    let balanced = all;
    const targets = () => balanced;
    traffic = await new Traffic(d, targets).start(RATE, REPLY_RATE);
    const { agents, webhooks, replies } = traffic;
    await sleep(3000);

    // Twilio takes a's next sends but a never hears back; then a dies.
    d.proxies.get('a')!.hold();
    await sleep(1500);
    const onA = agents.filter((x) => x.url === a.url).map((x) => x.id);
    const killedAt = Date.now();
    a.proc.kill('SIGKILL');
    await a.exited;
    setTimeout(() => (balanced = [b.url]), 2000);

    await sleep(4000);
    await traffic.stop();

    // The survivor finishes what it claimed itself; what a claimed waits for its lease.
    await sleep(1500);
    const stranded = await d.query<{ message_id: string }>(
      `UPDATE $schema.outbox SET lease_until = $1 WHERE state = 'inflight' AND inflight_since <= $2 RETURNING message_id`,
      [Date.now(), killedAt],
    );
    const leaseEnded = Date.now();
    await until('the outbox to empty', 30_000, async () => (await d.query(`SELECT 1 FROM $schema.outbox`)).length === 0);
    const strandedDone = Date.now() - leaseEnded;
    await traffic.assertNothingLost();

    const aroundKill = webhooks.deliveries.filter((w) => w.startedAt >= killedAt - 1000 && w.startedAt <= killedAt + 3000);
    const latency = summary(aroundKill.map((w) => w.ackedAt! - w.startedAt));

    for (const id of onA) assert.equal(agents.find((x) => x.id === id)!.url, b.url, `${id} moved to the survivor`);
    const moved = agents.filter((x) => onA.includes(x.id)).map((x) => x.connections.at(-1)!.gapMs);

    // ---- the double-send window: from a send's claim to its recorded result.
    const log = await d.query<{ message_id: string; inflight_since: number; recorded_at: number }>(`SELECT * FROM $schema.send_log`);
    const strandedIds = new Set(stranded.map((r) => r.message_id));
    const window = summary(log.filter((r) => !strandedIds.has(r.message_id)).map((r) => r.recorded_at - r.inflight_since));
    const heldAtTwilio = d.proxies.get('a')!.creates.filter((c) => c.answeredAt === null).length;

    const figures = {
      ...traffic.figures(),
      webhookLatencyAroundKillMs: latency,
      agentsMoved: onA.length,
      movedAgentStreamGapMs: summary(moved),
      claimedByKilled: stranded.length,
      takenByTwilioUnrecorded: heldAtTwilio,
      strandedSentAfterLeaseMs: strandedDone,
      sentTwice: (await replyFaults(d, replies)).twice.length,
      doubleSendWindowMs: window,
      createsBy: Object.fromEntries([...d.proxies].map(([name, p]) => [name, p.creates.length])),
    };
    t.diagnostic(`figures ${JSON.stringify(figures)}`);
    assert.ok(stranded.length > 0, 'the killed instance had claimed sends');
    assert.ok(moved.every((ms) => ms < 5000), `agents reconnected in ${moved.join(', ')} ms`);
  });
});
