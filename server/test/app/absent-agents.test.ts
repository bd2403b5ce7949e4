/**
 * An agent who closed the panel without setting Offline is set Offline once no relay has seen
 * its event stream for OFFLINE_AFTER_DISCONNECT (2 minutes by default); one whose panel is open,
 * or came back within the time, stays as it is.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { until } from '../helpers/processes.ts';
import { closeFakeTwilio, startRelay } from '../helpers/harness.ts';
import { connectSse } from '../helpers/sse.ts';

after(closeFakeTwilio);

describe('agents whose panels are gone', () => {
  it('are set Offline after OFFLINE_AFTER_DISCONNECT and their offers go to the next agent; an agent back in time stays', async () => {
    const relay = await startRelay();
    const base = await relay.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const alice = await relay.availableAgent('alice', 'Alice');
      const bob = await relay.availableAgent('bob', 'Bob');
      const presence = async (token: string) => (await relay.api(token, 'GET', '/api/v1/me')).json().presence as string;
      const streams = { alice: await connectSse(`${base}/api/v1/events`, alice), bob: await connectSse(`${base}/api/v1/events`, bob) };
      for (const s of Object.values(streams)) await s.until((e) => e.some((x) => x.event === 'ready'));
      const pass = () => relay.app.relay.absentAgents.pass();
      assert.deepEqual(await pass(), [], 'both panels open');

      // Bob closes the browser; Alice's connection drops and she is back a minute and a half later.
      streams.bob.close();
      streams.alice.close();
      await until('both streams to be gone', 5_000, () => relay.app.relay.hub.connectedAgentIds().length === 0);
      relay.clock.advance(90_000);
      assert.deepEqual(await pass(), [], 'not yet: 90 s');
      const back = await connectSse(`${base}/api/v1/events`, alice);
      await back.until((e) => e.some((x) => x.event === 'ready'));
      relay.clock.advance(90_000);
      // Another relay's pass, which does not hold Alice's new stream: her reconnecting marked her.
      const now = relay.clock.now();
      assert.deepEqual((await relay.store.signOutAbsentAgents(now - 120_000, now)).map((a) => a.id), ['bob']);
      assert.deepEqual([await presence(alice), await presence(bob)], ['available', 'offline']);

      // Offline now, Bob is offered nothing: two new customers both go to Alice (were Bob
      // Available, the second would go to him, the one with less load).
      await relay.inbound({ From: 'whatsapp:+15550009100', Body: 'Hello?' });
      await relay.inbound({ From: 'whatsapp:+15550009101', Body: 'Hi' });
      await relay.app.relay.router.kick();
      const offers = (await relay.api(alice, 'GET', '/api/v1/conversations?state=open')).json().items as { offer: { agentId: string } | null }[];
      assert.deepEqual(offers.map((c) => c.offer?.agentId), ['alice', 'alice']);
      back.close();
    } finally {
      await relay.close();
    }
  });

  it('gives panels the time to come back after the relay started: an agent last seen before a long outage is not set Offline at once', async () => {
    const relay = await startRelay();
    try {
      const bob = await relay.availableAgent('bob', 'Bob');
      // Seen an hour ago, before every relay went down; this one has just started.
      await relay.store.markPanelsSeen(['bob'], relay.clock.now() - 3600_000);
      assert.deepEqual(await relay.app.relay.absentAgents.pass(), []);
      relay.clock.advance(60_000);
      assert.deepEqual(await relay.app.relay.absentAgents.pass(), [], 'a minute on: still time to reconnect');
      relay.clock.advance(61_000);
      assert.deepEqual(await relay.app.relay.absentAgents.pass(), ['bob'], 'never came back');
      assert.equal((await relay.api(bob, 'GET', '/api/v1/me')).json().presence, 'offline');
    } finally {
      await relay.close();
    }
  });

  it('never sets anyone Offline with OFFLINE_AFTER_DISCONNECT=0', async () => {
    const relay = await startRelay({ env: { OFFLINE_AFTER_DISCONNECT: '0' } });
    const base = await relay.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const bob = await relay.availableAgent('bob', 'Bob');
      const stream = await connectSse(`${base}/api/v1/events`, bob);
      await stream.until((e) => e.some((x) => x.event === 'ready'));
      stream.close();
      relay.clock.advance(24 * 3600_000);
      assert.deepEqual(await relay.app.relay.absentAgents.pass(), []);
      assert.equal((await relay.api(bob, 'GET', '/api/v1/me')).json().presence, 'available');
    } finally {
      await relay.close();
    }
  });
});
