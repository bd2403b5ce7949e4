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
import { freePort } from '../helpers/processes.ts';
import { postgresUnavailable } from '../store/postgres-harness.ts';
import { PgDeployment, Traffic, allReady, sleep, stopRelay, summary, type Relay } from './cluster.ts';

const RATE = 200;
/** Two agents share it: each stays under the agent API's 120 sends a minute. */
const REPLY_RATE = 4;
/** A SIGTERMed relay must be gone by then (its own force-exit is at 10 s). */
const EXIT_BOUND_MS = 12_000;
const unavailable = await postgresUnavailable();

describe('rolling restart of two relays under load', { skip: unavailable ?? false, timeout: 120_000 }, () => {
  const d = new PgDeployment('roll');
  const relays = new Map<string, Relay>();
  const ports = new Map<string, number>();
  let traffic: Traffic | undefined;

  before(async () => {
    await d.open(['a', 'b']);
    for (const name of ['a', 'b']) ports.set(name, await freePort());
    // One after the other, as a deployment starts them (concurrent start has its own test).
    for (const name of ['a', 'b']) relays.set(name, await d.start(name, ports.get(name)));
  });

  after(async () => {
    await traffic?.close();
    await d.close();
  });

  it('loses no webhook and no event, and each instance exits in bounded time', async (t) => {
    // The load balancer keeps both addresses: a stopped instance refuses, the sender goes to the other.
    const urls = ['a', 'b'].map((name) => relays.get(name)!.url);
    traffic = await new Traffic(d, () => urls).start(RATE, REPLY_RATE);
    await sleep(2000);

    const exits: number[] = [];
    const restarts: number[] = [];
    for (const name of ['a', 'b']) {
      const old = relays.get(name)!;
      const onIt = traffic.agents.filter((x) => x.url === old.url);
      const hintsBefore = new Map(onIt.map((x) => [x.id, x.retryHints.length]));
      t.diagnostic(`SIGTERM to ${name} at ${Date.now() - traffic.startedAt} ms`);
      const exit = await stopRelay(old, 20_000);
      assert.equal(exit.code, 0, `${name} exited cleanly (after ${exit.ms} ms):\n${old.output()}`);
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
      t.diagnostic(`${name} ready again at ${Date.now() - traffic.startedAt} ms`);
      restarts.push(Date.now() - started);
      await sleep(1500);
    }

    await traffic.stop();
    await traffic.assertNothingLost();
    assert.equal(traffic.webhooks.refusedByAll, 0, 'no webhook refused by every instance');
    t.diagnostic(
      `figures ${JSON.stringify({
        ...traffic.figures(),
        webhookLatencyMs: summary(traffic.webhooks.deliveries.map((w) => w.ackedAt! - w.startedAt)),
        exitMs: exits,
        restartToReadyMs: restarts,
      })}`,
    );
  });
});
