/**
 * What a relay makes of a NOTIFY on its channel (store/postgres/wake-ups.ts): anything may
 * notify there, so a payload that is not a well-formed wake-up is ignored, and events that
 * are not well formed fall back to the id alone (the reader then reads the log).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mayCarry, parseWakeUp, wakeUpPayload } from '../../src/store/postgres/wake-ups.ts';

const message = (id: number) => ({ id, type: 'message', agentId: 'alice', data: { conversationId: 'cv_1', message: { id: `m_${id}`, body: 'Hi: at 10:30?' } } });

describe('wake-up payloads', () => {
  it('reads the topic and origin, and the newest event id a commit names', () => {
    assert.deepEqual(parseWakeUp(wakeUpPayload('outbox', 'relay-1')), { topic: 'outbox', origin: 'relay-1' });
    assert.deepEqual(parseWakeUp(wakeUpPayload('events', 'relay-1', 42)), { topic: 'events', origin: 'relay-1', upToEventId: 42 });
  });

  it('reads the events a commit carries, colons in their text and all', () => {
    const events = [message(41), message(42)];
    assert.deepEqual(parseWakeUp(`events:relay-1:42:${JSON.stringify(events)}`), { topic: 'events', origin: 'relay-1', upToEventId: 42, events });
  });

  it('keeps the id and drops events that are malformed, out of order or not ending at the id named', () => {
    const idOnly = { topic: 'events', origin: 'relay-1', upToEventId: 42 };
    for (const body of ['{not json', '[]', '{}', JSON.stringify([message(42), message(41)]), JSON.stringify([message(41)]), JSON.stringify([{ ...message(42), id: '42' }]), JSON.stringify([{ ...message(42), data: null }])]) {
      assert.deepEqual(parseWakeUp(`events:relay-1:42:${body}`), idOnly, body);
    }
  });

  it('ignores what is not a wake-up', () => {
    for (const payload of [undefined, '', 'hello', 'events', 'events:', 'other:relay-1', 'events:relay-1:forty-two']) assert.equal(parseWakeUp(payload), null, String(payload));
  });

  it('carries a webhook’s few events, and leaves a busy group’s or a long message’s to be read', () => {
    const data = (body: string) => JSON.stringify(message(1).data).replace('Hi: at 10:30?', body);
    const few = [message(1), message(2), message(3)];
    assert.equal(mayCarry(few, few.map((e) => JSON.stringify(e.data))), true);
    const group = Array.from({ length: 60 }, (_, i) => message(i + 1));
    assert.equal(mayCarry(group, group.map((e) => JSON.stringify(e.data))), false);
    assert.equal(mayCarry([message(1)], [data('€'.repeat(2600))]), false, '7,800 bytes of text and the event around it');
  });
});
