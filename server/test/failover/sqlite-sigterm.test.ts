/**
 * SQLite's share of the failover faults. A SQLite relay is one instance, so there is no
 * other instance to fail over to and no database connection to cut; what applies is a
 * restart under load: SIGTERM while webhooks, agents' streams and replies keep coming,
 * then the relay started again on its file and address. (A SIGKILL and restart on its
 * file is test/reliability/crash-safety.test.ts.)
 *
 * Promised: the relay exits cleanly within a bounded time, telling its streams to
 * reconnect soon (`retry`); webhooks refused while it is down are delivered again
 * (as Twilio does) and every webhook is stored exactly once; each agent resumes with
 * Last-Event-ID and sees every event of its log once; every reply reaches Twilio once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, until } from '../helpers/processes.ts';
import { ReplyLoad, SqliteDeployment, allReady, eventFaults, inboundFaults, replyFaults, sleep, startAgents, stopRelay, summary, type FailoverAgent } from './cluster.ts';

const RATE = 150;
const REPLY_RATE = 10;
const EXIT_BOUND_MS = 12_000;

describe('SQLite relay: SIGTERM and restart under load', { timeout: 90_000 }, () => {
  const d = new SqliteDeployment();
  let port: number;
  let agents: FailoverAgent[] = [];

  before(async () => {
    await d.open(['a']);
    port = await freePort();
  });

  after(async () => {
    await Promise.all(agents.map((agent) => agent.close()));
    await d.close();
  });

  it('loses no webhook, event or reply across the restart', async (t) => {
    const relay = await d.start('a', port);
    const targets = () => [relay.url];
    agents = await startAgents(d, targets);
    const webhooks = d.webhooks(targets);
    const replies = new ReplyLoad(
      agents.filter((x) => x.role === 'agent'),
      targets,
    );
    webhooks.start(RATE);
    replies.start(REPLY_RATE);
    await until('agents to hold conversations', 15_000, () => replies.conversationsHeld() >= 2);
    await sleep(2000);

    const exit = await stopRelay(relay, 20_000);
    const stoppedAt = Date.now();
    assert.equal(exit.code, 0, `exited cleanly:\n${relay.output()}`);
    assert.ok(exit.ms < EXIT_BOUND_MS, `took ${exit.ms} ms to exit`);
    for (const agent of agents) assert.ok(agent.retryHints.includes(500), `${agent.id} was told to reconnect soon`);

    await sleep(1000);
    const restarted = await d.start('a', port);
    assert.equal(restarted.url, relay.url, 'restarted on its address');
    await allReady([restarted.url]);
    const downMs = Date.now() - stoppedAt;
    await sleep(3000);
    await Promise.all([webhooks.stop(), replies.stop()]);
    await until('the outbox to empty', 20_000, async () => (await d.query(`SELECT 1 FROM $schema.outbox`)).length === 0);

    assert.deepEqual(webhooks.lost, [], 'no webhook given up');
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
        redelivered: webhooks.redelivered,
        exitMs: exit.ms,
        downMs,
        agentStreamGapMs: summary(gaps),
        replies: replies.replies.length,
      })}`,
    );
  });
});
