import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../src/domain/clock.ts';
import { mintDevToken } from '../../src/auth/tokens.ts';
import { closeFakeTwilio, SECRET, startRelay, type TestRelay } from '../helpers/harness.ts';
import { connectSse } from '../helpers/sse.ts';
import { MAX_STREAMS_PER_AGENT } from '../../src/routes/api/events.ts';

async function listen(relay: TestRelay): Promise<string> {
  return relay.app.listen({ port: 0, host: '127.0.0.1' });
}

describe('GET /api/v1/events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wcp-events-'));
  after(() => {
    closeFakeTwilio();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams an offer for a new conversation to the available agent, with increasing ids', async () => {
    const relay = await startRelay();
    const base = await listen(relay);
    try {
      const token = await relay.availableAgent('alice', 'Alice');
      const sse = await connectSse(`${base}/api/v1/events`, token);
      await sse.until((e) => e.some((x) => x.event === 'ready'));
      await relay.inbound({ From: 'whatsapp:+14155550100', Body: 'Hi there', ProfileName: 'Maria' });
      await relay.app.relay.router.kick();
      const events = await sse.until((e) => e.some((x) => x.event === 'offer'));
      const offer = events.find((x) => x.event === 'offer')!.data as { conversation: { customer: { profileName: string } }; firstMessage: { body: string } };
      assert.equal(offer.conversation.customer.profileName, 'Maria');
      assert.equal(offer.firstMessage.body, 'Hi there');
      const ids = events.map((e) => Number(e.id));
      assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]!));
      sse.close();
    } finally {
      await relay.close();
    }
  });

  it("tells a supervisor each change of a queue's counts once, live and on resume, and each member once", async () => {
    const relay = await startRelay();
    const base = await listen(relay);
    try {
      const alice = await relay.availableAgent('alice', 'Alice');
      await relay.availableAgent('bob', 'Bob');
      const sue = await relay.token('sue', 'Sue', { role: 'supervisor' });
      const live = await connectSse(`${base}/api/v1/events`, sue);
      const member = await connectSse(`${base}/api/v1/events`, alice);
      await live.until((e) => e.some((x) => x.event === 'ready'));
      await member.until((e) => e.some((x) => x.event === 'ready'));
      const start = await relay.store.latestEventId();
      await relay.inbound({ From: 'whatsapp:+14155550188', Body: 'Hi' });
      await relay.app.relay.queues.flush();
      const queueEvents = (events: { event: string }[]) => events.filter((x) => x.event === 'queue').length;
      await live.until((e) => queueEvents(e) >= 1);
      await member.until((e) => queueEvents(e) >= 1);
      // Anything still on its way arrives by the next flush's events.
      await relay.inbound({ From: 'whatsapp:+14155550189', Body: 'Hi again' });
      await relay.app.relay.queues.flush();
      assert.equal(queueEvents(await live.until((e) => queueEvents(e) >= 2)), 2, 'the supervisor: once per change, though two agents are members');
      assert.equal(queueEvents(await member.until((e) => queueEvents(e) >= 2)), 2, 'a member: once per change');
      live.close();
      member.close();
      // The newest event a supervisor is sent (the log's newest may be a member's copy).
      const latest = (await relay.store.readEvents({ agentId: 'sue', supervisor: true }, start, 1000)).filter((e) => e.type !== 'queue' || e.agentId === null).at(-1)!.id;
      const resumed = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${sue}`, 'last-event-id': String(start) } });
      let text = '';
      const reader = resumed.body!.pipeThrough(new TextDecoderStream()).getReader();
      // The backlog follows `ready`: read up to the log's newest event.
      while (!text.includes(`id: ${latest}\n`)) text += (await reader.read()).value ?? '';
      await reader.cancel();
      assert.equal(text.match(/event: queue/g)?.length, 2, 'the backlog too');
    } finally {
      await relay.close();
    }
  });

  it("resumes a supervisor's stream past a backlog of more members' copies of queue counts than one read holds", { timeout: 30_000 }, async () => {
    const relay = await startRelay();
    const base = await listen(relay);
    try {
      const sue = await relay.token('sue', 'Sue', { role: 'supervisor' });
      // 520 agents in no other queue: each is a member of general, and gets its own copy.
      for (let i = 0; i < 520; i++) await relay.store.upsertAgent({ id: `agent-${i}`, name: `Agent ${i}`, role: 'agent' }, 3, Date.now());
      const start = await relay.store.latestEventId();
      await relay.store.announceQueue('general');
      await relay.inbound({ From: 'whatsapp:+14155550190', Body: 'after the counts' });
      const resumed = await connectSse(`${base}/api/v1/events`, sue, String(start));
      const events = await resumed.until((e) => e.some((x) => x.event === 'message'));
      resumed.close();
      assert.equal(events.filter((x) => x.event === 'queue').length, 1, "the supervisors' copy, once");
    } finally {
      await relay.close();
    }
  });

  it('ends open streams at shutdown with a short retry hint, so agents reconnect at once elsewhere', async () => {
    const relay = await startRelay();
    const base = await listen(relay);
    const token = await relay.availableAgent('alice', 'Alice');
    const response = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    assert.match((await reader.read()).value ?? '', /event: ready/);
    const closing = relay.close();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value;
    await closing;
    assert.match(rest, /retry: 500\n\n$/);
  });

  it('leaves nothing behind of a stream whose client went away while it was being set up', async () => {
    const relay = await startRelay();
    const base = await listen(relay);
    try {
      const token = await relay.availableAgent('alice', 'Alice');
      const hub = relay.app.relay.hub;
      const sinks = () => (hub as unknown as { sinks: Set<unknown> }).sinks.size;
      const subscribe = hub.subscribe.bind(hub);
      let subscribing!: () => void;
      const asked = new Promise<void>((resolve) => (subscribing = resolve));
      // The subscribe takes a while (the hub reading the log's end), and the client is gone meanwhile.
      hub.subscribe = async (sink) => {
        subscribing();
        await new Promise((resolve) => setTimeout(resolve, 300));
        return subscribe(sink);
      };
      const controller = new AbortController();
      const response = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
      assert.equal(response.status, 200);
      await asked;
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal(sinks(), 0, 'its subscription (and heartbeat) stayed');
    } finally {
      await relay.close();
    }
  });

  it('ends a stream when its token expires (with a short retry hint); the token then opens none', { timeout: 10_000 }, async () => {
    const relay = await startRelay();
    const base = await listen(relay);
    try {
      // A supervisor's stream carries every agent's customers: it must not outlive the token.
      const token = await mintDevToken(SECRET, { id: 'sue', name: 'Sue', role: 'supervisor' }, '2s');
      const response = await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      assert.match((await reader.read()).value ?? '', /event: ready/);
      const started = Date.now();
      let rest = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value;
      assert.ok(Date.now() - started < 4000, 'ended at the token\'s expiry');
      assert.match(rest, /retry: 500\n\n$/);
      assert.equal((await fetch(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } })).status, 401);
    } finally {
      await relay.close();
    }
  });

  it('starts at the end of the log for a Last-Event-ID past it (one kept from before a restore), and delivers what comes', async () => {
    const relay = await startRelay();
    const base = await listen(relay);
    try {
      const token = await relay.availableAgent('alice', 'Alice');
      const sse = await connectSse(`${base}/api/v1/events`, token, '999999999999');
      const ready = (await sse.until((e) => e.some((x) => x.event === 'ready'))).find((x) => x.event === 'ready')!;
      // What the panel holds came from another log: it loads its conversations again.
      assert.equal((ready.data as { reload?: boolean }).reload, true);
      await relay.inbound({ From: 'whatsapp:+14155550188', Body: 'hello' });
      await relay.app.relay.router.kick();
      await sse.until((e) => e.some((x) => x.event === 'offer'));
      sse.close();
    } finally {
      await relay.close();
    }
  });

  it('gives a panel resuming past the log\'s end (after a restore) a resume point it can come back from without missing events', async () => {
    const relay = await startRelay();
    const base = await listen(relay);
    try {
      const token = await relay.availableAgent('alice', 'Alice');
      const first = await connectSse(`${base}/api/v1/events`, token, '999999999999');
      const ready = (await first.until((e) => e.some((x) => x.event === 'ready'))).find((x) => x.event === 'ready')!;
      first.close();
      // While the panel is away (a dropped connection), a customer writes: the panel must get the offer when it comes back.
      await relay.inbound({ From: 'whatsapp:+14155550189', Body: 'hello' });
      await relay.app.relay.router.kick();
      const again = await connectSse(`${base}/api/v1/events`, token, ready.id!);
      await again.until((e) => e.some((x) => x.event === 'offer'));
      again.close();
    } finally {
      await relay.close();
    }
  });

  it('replays everything missed after Last-Event-ID, across a relay restart, once and in order', async () => {
    const dbPath = join(dir, 'relay.db');
    const clock = new ManualClock(Date.parse('2026-06-01T08:00:00Z'));
    let relay = await startRelay({ dbPath, clock });
    let base = await listen(relay);
    const token = await relay.availableAgent('alice', 'Alice');
    const id = await relay.activeConversation(token, '+14155550100', 'first');
    const sse = await connectSse(`${base}/api/v1/events`, token);
    await relay.inbound({ From: 'whatsapp:+14155550100', Body: 'second' });
    relay.app.relay.notify();
    // The message's row streams as `message` then `window`; the row's id comes with the last.
    const seen = await sse.until((e) => e.some((x) => x.event === 'window'));
    const lastId = seen.at(-1)!.id!;
    sse.close();
    await relay.close();

    // While the agent is away, the relay restarts and more happens.
    relay = await startRelay({ dbPath, clock });
    await relay.inbound({ From: 'whatsapp:+14155550100', Body: 'third' });
    await relay.inbound({ From: 'whatsapp:+14155550100', Body: 'fourth' });
    base = await listen(relay);
    try {
      const resumed = await connectSse(`${base}/api/v1/events`, token, lastId);
      const events = await resumed.until((e) => e.filter((x) => x.event === 'message').length >= 2);
      const bodies = events.filter((x) => x.event === 'message').map((x) => (x.data as { message: { body: string } }).message.body);
      assert.deepEqual(bodies, ['third', 'fourth']);
      assert.ok(events.filter((x) => x.id !== null && x.event !== 'ready').every((x) => Number(x.id) > Number(lastId)));
      const page = (await relay.api(token, 'GET', `/api/v1/conversations/${id}/messages`)).json();
      assert.deepEqual(page.items.map((m: { body: string }) => m.body), ['first', 'second', 'third', 'fourth']);
      resumed.close();
    } finally {
      await relay.close();
    }
  });

  it("streams a customer's message then the window it re-opened, both under the row's id: a panel that drops between them has the window already", async () => {
    const clock = new ManualClock(Date.parse('2026-06-01T08:00:00Z'));
    const relay = await startRelay({ clock });
    const base = await listen(relay);
    try {
      const token = await relay.availableAgent('alice', 'Alice');
      await relay.activeConversation(token, '+14155550100', 'first');
      const sse = await connectSse(`${base}/api/v1/events`, token);
      const ready = (await sse.until((e) => e.some((x) => x.event === 'ready'))).at(-1)!;
      clock.advance(60_000);
      await relay.inbound({ From: 'whatsapp:+14155550100', Body: 'second' });
      const frames = (await sse.until((e) => e.some((x) => x.event === 'window'))).slice(1);
      sse.close();
      assert.deepEqual(frames.map((f) => f.event), ['message', 'window']);
      const message = frames[0]!.data as { conversationId: string; message: { body: string }; windowExpiresAt: string };
      assert.equal(message.message.body, 'second');
      assert.ok(Number(frames[0]!.id) > Number(ready.id), 'every event has an id');
      assert.equal(frames[1]!.id, frames[0]!.id, 'one entry of the log');
      assert.equal(message.windowExpiresAt, '2026-06-02T08:01:00.000Z', 'the message frame brings the window it re-opened');
      assert.deepEqual(frames[1]!.data, { conversationId: message.conversationId, windowExpiresAt: '2026-06-02T08:01:00.000Z' });

      // Resumed from the ready frame: the row again, whole; from the message's id: nothing of it again.
      const resumed = await connectSse(`${base}/api/v1/events`, token, ready.id!);
      const again = (await resumed.until((e) => e.some((x) => x.event === 'window'))).filter((x) => x.event !== 'ready');
      resumed.close();
      assert.deepEqual(again, frames);
      clock.advance(1000);
      const after = await connectSse(`${base}/api/v1/events`, token, frames[0]!.id!);
      await after.until((e) => e.some((x) => x.event === 'ready'));
      await relay.inbound({ From: 'whatsapp:+14155550100', Body: 'third' });
      const next = (await after.until((e) => e.some((x) => x.event === 'window'))).filter((x) => x.event !== 'ready');
      after.close();
      assert.deepEqual(next.map((f) => (f.event === 'message' ? (f.data as { message: { body: string } }).message.body : f.event)), ['third', 'window']);
    } finally {
      await relay.close();
    }
  });

  it('prunes the log past EVENT_LOG_RETENTION, and tells a panel resuming from before what was pruned to load its conversations again', async () => {
    const clock = new ManualClock(Date.parse('2026-06-01T08:00:00Z'));
    const relay = await startRelay({ clock, env: { EVENT_LOG_RETENTION: '30d' } });
    const base = await listen(relay);
    try {
      const token = await relay.availableAgent('alice', 'Alice');
      await relay.activeConversation(token, '+14155550100', 'first');
      const early = (await relay.store.readEvents({ agentId: 'alice', supervisor: false }, 0, 100))[0]!.id;
      const pruner = relay.app.relay.eventLogPruner;
      assert.equal(await pruner.pass(), 0, 'nothing is old enough');
      const noted = await relay.store.latestEventId();
      clock.advance(31 * 86_400_000);
      await relay.inbound({ From: 'whatsapp:+14155550100', Body: 'a month later' });
      assert.ok((await pruner.pass()) > 0);
      assert.equal(await relay.store.eventLogPrunedThrough(), noted);

      const stale = await connectSse(`${base}/api/v1/events`, token, String(early));
      const staleReady = (await stale.until((e) => e.some((x) => x.event === 'ready'))).find((x) => x.event === 'ready')!;
      stale.close();
      assert.equal((staleReady.data as { reload?: boolean }).reload, true);
      const current = await connectSse(`${base}/api/v1/events`, token, String(noted));
      const currentReady = (await current.until((e) => e.some((x) => x.event === 'ready'))).find((x) => x.event === 'ready')!;
      current.close();
      assert.equal((currentReady.data as { reload?: boolean }).reload, undefined, 'a panel that missed nothing pruned just resumes');
    } finally {
      await relay.close();
    }
  });

  it('refuses a stream without a valid token', async () => {
    const relay = await startRelay();
    const base = await listen(relay);
    try {
      const r = await fetch(`${base}/api/v1/events`);
      assert.equal(r.status, 401);
    } finally {
      await relay.close();
    }
  });
});

describe('streams per agent', () => {
  it(`keeps at most ${MAX_STREAMS_PER_AGENT} open per agent: the oldest ends (a retry hint), the newest streams on`, async () => {
    const relay = await startRelay();
    const base = await listen(relay);
    const streams: Awaited<ReturnType<typeof connectSse>>[] = [];
    try {
      const token = await relay.availableAgent('alice', 'Alice');
      for (let i = 0; i <= MAX_STREAMS_PER_AGENT; i++) {
        const sse = await connectSse(`${base}/api/v1/events`, token);
        await sse.until((e) => e.some((x) => x.event === 'ready'));
        streams.push(sse);
      }
      await streams[0]!.ended;
      await relay.inbound({ From: 'whatsapp:+14155550190', Body: 'hello' });
      await relay.app.relay.router.kick();
      await streams.at(-1)!.until((e) => e.some((x) => x.event === 'offer'));
      await streams[1]!.until((e) => e.some((x) => x.event === 'offer'));
    } finally {
      for (const s of streams) s.close();
      await relay.close();
    }
  });
});
