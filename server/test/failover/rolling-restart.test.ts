/**
 * A rolling restart of two relays on PostgreSQL under steady load: each instance in turn
 * gets SIGTERM and is started again on its port, while webhooks (delivered to both, the
 * sender moving to the other instance when one fails, as Twilio does) and agents (streams on
 * both, accepting offers and replying) keep working.
 *
 * Promised: each instance exits cleanly within a bounded time; its agents get a short
 * `retry` hint and resume on the other instance with Last-Event-ID; no webhook is refused
 * by every instance; every webhook is stored once; every event reaches each agent once;
 * every reply reaches Twilio once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, until } from '../helpers/processes.ts';
import { postgresUnavailable } from '../store/postgres-harness.ts';
import { PgDeployment, ReplyLoad, allReady, eventFaults, inboundFaults, replyFaults, sleep, startAgents, stopRelay, summary, type FailoverAgent, type Relay } from './cluster.ts';

const RATE = 200;
const REPLY_RATE = 10;
/** A SIGTERMed relay must be gone by then (its own force-exit is at 10 s). */
const EXIT_BOUND_MS = 12_000;
const unavailable = await postgresUnavailable();

describe('rolling restart of two relays under load', { skip: unavailable ?? false, timeout: 120_000 }, () => {
  const d = new PgDeployment('roll');
  const relays = new Map<string, Relay>();
  const ports = new Map<string, number>();
  let agents: FailoverAgent[] = [];

  before(async () => {
    await d.open(['a', 'b']);
    for (const name of ['a', 'b']) ports.set(name, await freePort());
    // One after the other, as a deployment starts them (concurrent start has its own test).
    for (const name of ['a', 'b']) relays.set(name, await d.start(name, ports.get(name)));
  });

  after(async () => {
    await Promise.all(agents.map((agent) => agent.close()));
    await d.close();
  });

  it('loses no webhook and no event, and each instance exits in bounded time', async (t) => {
    // The load balancer keeps both addresses: a stopped instance refuses, the sender goes to the other.
    const urls = ['a', 'b'].map((name) => relays.get(name)!.url);
    const targets = () => urls;
    agents = await startAgents(d, targets);
    const webhooks = d.webhooks(targets);
    const replies = new ReplyLoad(
      agents.filter((x) => x.role === 'agent'),
      targets,
    );
    const loadStarted = Date.now();
    webhooks.start(RATE);
    replies.start(REPLY_RATE);
    await until('agents to hold conversations', 15_000, () => replies.conversationsHeld() >= 2);
    await sleep(2000);

    const exits: number[] = [];
    const restarts: number[] = [];
    for (const name of ['a', 'b']) {
      const old = relays.get(name)!;
      const onIt = agents.filter((x) => x.url === old.url);
      const hintsBefore = new Map(onIt.map((x) => [x.id, x.retryHints.length]));
      const exit = await stopRelay(old, 20_000);
      assert.equal(exit.code, 0, `${name} exited cleanly:\n${old.output()}`);
      assert.ok(exit.ms < EXIT_BOUND_MS, `${name} took ${exit.ms} ms to exit`);
      exits.push(exit.ms);
      for (const agent of onIt) {
        assert.ok(agent.retryHints.slice(hintsBefore.get(agent.id)).includes(500), `${agent.id} was told to reconnect soon`);
      }
      await sleep(1000);
      const started = Date.now();
      const fresh = await d.start(name, ports.get(name));
      assert.equal(fresh.url, old.url, 'restarted on its address');
      relays.set(name, fresh);
      await allReady([fresh.url]);
      restarts.push(Date.now() - started);
      await sleep(2000);
    }

    await Promise.all([webhooks.stop(), replies.stop()]);
    const loadEnded = Date.now();
    await until('the outbox to empty', 20_000, async () => (await d.query(`SELECT 1 FROM $schema.outbox`)).length === 0);

    assert.deepEqual(webhooks.lost, [], 'no webhook given up');
    assert.equal(webhooks.refusedByAll, 0, 'no webhook refused by every instance');
    assert.deepEqual(await inboundFaults(d, webhooks), []);
    const faults = await eventFaults(d, agents);
    for (const [id, f] of Object.entries(faults)) assert.deepEqual(f, { duplicates: [], missing: [], unexpected: [] }, id);
    const sent = await replyFaults(d, replies);
    assert.deepEqual(sent.faults, []);
    assert.deepEqual(sent.twice, [], 'no reply reached Twilio twice');

    const gaps = agents.flatMap((x) => x.connections.slice(1).map((c) => c.gapMs));
    t.diagnostic(
      `figures ${JSON.stringify({
        webhooks: webhooks.deliveries.length,
        webhooksPerSecond: Math.round((webhooks.deliveries.length * 1000) / (loadEnded - loadStarted)),
        redelivered: webhooks.redelivered,
        failedAttempts: Object.fromEntries(webhooks.failures),
        webhookLatencyMs: summary(webhooks.deliveries.map((w) => w.ackedAt! - w.startedAt)),
        exitMs: exits,
        restartToReadyMs: restarts,
        agentReconnects: gaps.length,
        agentStreamGapMs: summary(gaps),
        replies: replies.replies.length,
      })}`,
    );
  });
});
