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
import { freePort } from '../helpers/processes.ts';
import { SqliteDeployment, Traffic, allReady, sleep, stopRelay } from './cluster.ts';

const RATE = 150;
/** Two agents share it: each stays under the agent API's 120 sends a minute. */
const REPLY_RATE = 4;
const EXIT_BOUND_MS = 12_000;

describe('SQLite relay: SIGTERM and restart under load', { timeout: 90_000 }, () => {
  const d = new SqliteDeployment();
  let port: number;
  let traffic: Traffic | undefined;

  before(async () => {
    await d.open(['a']);
    port = await freePort();
  });

  after(async () => {
    await traffic?.close();
    await d.close();
  });

  it('loses no webhook, event or reply across the restart', async (t) => {
    const relay = await d.start('a', port);
    traffic = await new Traffic(d, () => [relay.url]).start(RATE, REPLY_RATE);
    await sleep(2000);

    const exit = await stopRelay(relay, 20_000);
    const stoppedAt = Date.now();
    assert.equal(exit.code, 0, `exited cleanly (after ${exit.ms} ms):\n${relay.output()}`);
    assert.ok(exit.ms < EXIT_BOUND_MS, `took ${exit.ms} ms to exit`);
    for (const agent of traffic.agents) assert.ok(agent.retryHints.includes(500), `${agent.id} was told to reconnect soon`);

    await sleep(1000);
    const restarted = await d.start('a', port);
    assert.equal(restarted.url, relay.url, 'restarted on its address');
    await allReady([restarted.url]);
    const downMs = Date.now() - stoppedAt;
    await sleep(3000);

    await traffic.stop();
    await traffic.assertNothingLost();
    t.diagnostic(`figures ${JSON.stringify({ ...traffic.figures(), exitMs: exit.ms, downMs })}`);
  });
});
