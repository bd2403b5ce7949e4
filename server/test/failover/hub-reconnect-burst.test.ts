/**
 * After an instance stops, its agents all reconnect at once, often to an instance whose
 * event hub has no stream yet. The hub starts following the log on its first subscriber,
 * from the log's latest id. Found by the rolling-restart test (a supervisor missed six
 * events in a row): two first subscribers both read the latest id, and the slower answer
 * moved the hub's cursor forward past events the hub had not yet handed to the first
 * stream, which had already read its own backlog — a gap. The hub must start once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { InProcessBus } from '../../src/bus/in-process.ts';
import { EventHub } from '../../src/events/hub.ts';
import type { Store, StoredEvent } from '../../src/store/port.ts';

const event = (id: number): StoredEvent => ({ id, type: 'window', agentId: 'alice', data: { conversationId: 'cv_1', windowExpiresAt: null } });
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('event hub: streams subscribing at once to a hub with none yet', () => {
  it('starts following the log once; no stream misses an event', async () => {
    const log: StoredEvent[] = [event(1), event(2), event(3)];
    // Each latestEventId() answers only when the test says, with the log as it is then.
    const latestCalls: (() => void)[] = [];
    const store = {
      latestEventId: () => new Promise<number>((resolve) => latestCalls.push(() => resolve(log.at(-1)!.id))),
      readEvents: async (_viewer: unknown, afterId: number, limit: number) => log.filter((e) => e.id > afterId).slice(0, limit),
    } as unknown as Store;
    const bus = new InProcessBus();
    const hub = new EventHub(store, bus, pino({ level: 'silent' }));
    const first: number[] = [];
    const second: number[] = [];
    const viewer = { agentId: 'alice', supervisor: false };

    const subscribed = [
      hub.subscribe({ viewer, deliver: (events) => first.push(...events.map((e) => e.id)) }),
      hub.subscribe({ viewer, deliver: (events) => second.push(...events.map((e) => e.id)) }),
    ];
    await settle();
    latestCalls[0]!(); // the hub starts at 3
    await settle();
    log.push(event(4), event(5));
    bus.publish('events');
    await settle();
    log.push(event(6), event(7));
    // A second, slower look at the latest id (if the hub made one) would say 7.
    latestCalls[1]?.();
    await Promise.all(subscribed);
    log.push(event(8));
    bus.publish('events');
    await settle();

    const firstSeen = first.filter((id) => id > 3);
    assert.deepEqual(firstSeen, [4, 5, 6, 7, 8], 'the first stream got every event after its start, in order');
    assert.deepEqual(
      second.filter((id) => id > 3),
      firstSeen.filter((id) => second.includes(id)),
    );
    assert.ok([6, 7, 8].every((id) => second.includes(id)), 'the second stream gets what was appended after it subscribed');
    hub.stop();
  });
});
