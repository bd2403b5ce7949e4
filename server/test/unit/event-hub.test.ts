/**
 * The event hub's fast path: events a write hands over go to the streams without a read of
 * the log when they follow the hub's cursor — and never twice, never out of order, never
 * skipping one, whatever else is going on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { InProcessBus } from '../../src/bus/in-process.ts';
import type { BusListener } from '../../src/bus/port.ts';
import { EventHub } from '../../src/events/hub.ts';
import type { Store, StoredEvent } from '../../src/store/port.ts';

const event = (id: number, agentId = 'alice'): StoredEvent => ({ id, type: 'window', agentId, data: { conversationId: 'cv_1', windowExpiresAt: null } });

/** An event log in memory, with the reads the hub makes counted. */
function fakeLog(initial: StoredEvent[]) {
  const log = [...initial];
  let reads = 0;
  let gate: Promise<void> | null = null;
  let open = () => {};
  const store = {
    latestEventId: async () => log.at(-1)?.id ?? 0,
    readEvents: async (_viewer: unknown, afterId: number, limit: number) => {
      reads += 1;
      const seen = log.filter((e) => e.id > afterId).slice(0, limit); // what the read sees when it starts
      await gate;
      return seen;
    },
  } as unknown as Store;
  return {
    store,
    append: (...events: StoredEvent[]) => log.push(...events),
    reads: () => reads,
    /** Reads started from now on wait for the returned release. */
    holdReads: () => {
      gate = new Promise((resolve) => (open = resolve));
      return () => {
        gate = null;
        open();
      };
    },
  };
}

async function hubWithSink(store: Store, bus = new InProcessBus()) {
  const hub = new EventHub(store, bus, pino({ level: 'silent' }));
  const received: number[] = [];
  await hub.subscribe({ viewer: { agentId: 'alice', supervisor: false }, deliver: (events) => received.push(...events.map((e) => e.id)) });
  return { hub, bus, received };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A bus whose wake-ups name the newest event id, as another PostgreSQL instance's commits do. */
function wakeUpsWithIds() {
  let listener: BusListener = () => undefined;
  const bus = Object.assign(new InProcessBus(), {
    subscribe: (_topic: string, l: BusListener) => {
      listener = l;
      return () => undefined;
    },
  });
  return { bus, wakeUp: (upTo: number, events?: StoredEvent[]) => listener(upTo, events) };
}

describe('event hub', () => {
  it('hands over the next events at once, without reading the log', async () => {
    const { store, append, reads } = fakeLog([event(1), event(2)]);
    const { hub, received } = await hubWithSink(store);
    append(event(3), event(4));
    assert.equal(hub.offer([event(3), event(4)]), true);
    assert.deepEqual(received, [3, 4]);
    assert.equal(reads(), 0);
    hub.stop();
  });

  it('refuses events after a gap; the wake-up then reads and delivers all of them in order', async () => {
    const { store, append } = fakeLog([event(1)]);
    const { hub, bus, received } = await hubWithSink(store);
    append(event(2, 'bob'), event(3), event(4));
    assert.equal(hub.offer([event(3), event(4)]), false, 'event 2 (another agent’s) came first');
    bus.publish('events');
    await settle();
    await settle();
    assert.deepEqual(received, [3, 4]);
    // The cursor moved past them: offering them again is refused, never delivered twice.
    assert.equal(hub.offer([event(3), event(4)]), false);
    assert.deepEqual(received, [3, 4]);
    hub.stop();
  });

  it('refuses while a read is under way, so the read cannot deliver them a second time', async () => {
    const { store, append, holdReads } = fakeLog([event(1)]);
    const { hub, bus, received } = await hubWithSink(store);
    append(event(2));
    const release = holdReads();
    bus.publish('events');
    await settle(); // a read has started, has seen event 2, and waits
    assert.equal(hub.offer([event(2)]), false, 'the read under way will deliver it');
    release();
    for (let i = 0; i < 4; i++) await settle();
    assert.deepEqual(received, [2], 'delivered once');
    append(event(3));
    assert.equal(hub.offer([event(3)]), true, 'the read is over: the fast path is back');
    assert.deepEqual(received, [2, 3]);
    hub.stop();
  });

  it('reads nothing for a wake-up naming events it already delivered, and reads up to the id a wake-up names', async () => {
    const { store, append, reads } = fakeLog([event(1)]);
    const { bus, wakeUp } = wakeUpsWithIds();
    const { hub, received } = await hubWithSink(store, bus);
    append(event(2), event(3));
    assert.equal(hub.offer([event(2), event(3)]), true, 'this instance wrote them: handed over');
    wakeUp(3);
    wakeUp(2);
    for (let i = 0; i < 4; i++) await settle();
    assert.equal(reads(), 0, 'a wake-up for events already delivered costs no read');
    append(event(4, 'bob'), event(5));
    wakeUp(5);
    for (let i = 0; i < 4; i++) await settle();
    assert.deepEqual(received, [2, 3, 5]);
    assert.equal(reads(), 1);
    hub.stop();
  });

  it('reads again when a wake-up names an id the read under way did not reach', async () => {
    const { store, append, reads, holdReads } = fakeLog([event(1)]);
    const { bus, wakeUp } = wakeUpsWithIds();
    const { hub, received } = await hubWithSink(store, bus);
    append(event(2));
    const release = holdReads();
    wakeUp(2);
    await settle(); // the read has seen event 2 and waits
    append(event(3)); // committed after the read began
    wakeUp(3);
    release();
    for (let i = 0; i < 6; i++) await settle();
    assert.deepEqual(received, [2, 3], 'event 3 was not left for the safety poll');
    assert.equal(reads(), 2);
    hub.stop();
  });

  it('delivers the events another instance’s wake-up carries without reading them back, and reads when they do not follow', async () => {
    const { store, append, reads } = fakeLog([event(1)]);
    const { bus, wakeUp } = wakeUpsWithIds();
    const { hub, received } = await hubWithSink(store, bus);
    append(event(2), event(3));
    wakeUp(3, [event(2), event(3)]);
    assert.deepEqual(received, [2, 3], 'handed to the stream as the wake-up arrived');
    wakeUp(3, [event(2), event(3)]); // heard twice (a reconnect): nothing twice
    for (let i = 0; i < 4; i++) await settle();
    assert.equal(reads(), 0);
    // Event 4 was committed by a write whose wake-up carried no events (too big for a payload).
    append(event(4), event(5));
    wakeUp(5, [event(5)]);
    for (let i = 0; i < 4; i++) await settle();
    assert.deepEqual(received, [2, 3, 4, 5], 'the gap was read, in order');
    assert.equal(reads(), 1);
    hub.stop();
  });

  it('refuses when nobody is listening yet', async () => {
    const { store } = fakeLog([]);
    const hub = new EventHub(store, new InProcessBus(), pino({ level: 'silent' }));
    assert.equal(hub.offer([event(1)]), false);
  });

  it('gives each stream only the events of its agent, a supervisor stream all of them, and a closed stream none', async () => {
    const { store, append } = fakeLog([]);
    const hub = new EventHub(store, new InProcessBus(), pino({ level: 'silent' }));
    const got: Record<string, number[]> = { alice: [], alice2: [], bob: [], sup: [] };
    const sink = (name: string, agentId: string, supervisor = false) => ({ viewer: { agentId, supervisor }, deliver: (events: StoredEvent[]) => got[name]!.push(...events.map((e) => e.id)) });
    await hub.subscribe(sink('alice', 'alice'));
    const closeSecondTab = await hub.subscribe(sink('alice2', 'alice'));
    await hub.subscribe(sink('bob', 'bob'));
    await hub.subscribe(sink('sup', 'sue', true));
    const batch = [event(1, 'alice'), event(2, 'bob'), { ...event(3), agentId: null }, event(4, 'alice'), event(5, 'carol')];
    append(...batch);
    assert.equal(hub.offer(batch), true);
    closeSecondTab();
    append(event(6, 'alice'));
    assert.equal(hub.offer([event(6, 'alice')]), true);
    assert.deepEqual(got, { alice: [1, 4, 6], alice2: [1, 4], bob: [2], sup: [1, 2, 3, 4, 5, 6] });
  });
});
