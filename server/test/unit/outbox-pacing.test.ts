/**
 * The outbox's hand-over spacing: however the pacing slots' timers fire (here, all at once,
 * as after an event-loop stall), one sender's sends reach the transport at least
 * SEND_INTERVAL_MS apart on average (the n-th no sooner than n intervals after the first),
 * and another sender is not held up by it.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import pino from 'pino';
import { OutboxWorker } from '../../src/outbox/worker.ts';
import type { OutboxItem } from '../../src/store/port.ts';
import { SEND_INTERVAL_MS } from '../../src/outbox/pacing.ts';
import type { OutboundSend, Transport } from '../../src/transport/port.ts';

const A = 'whatsapp:+14155238886';
const B = 'whatsapp:+14155238887';

function item(i: number, sender: string, sendAt: number): OutboxItem {
  return { messageId: `msg_${sender.slice(-1)}_${i}`, conversationId: 'cv_1', sender, to: 'whatsapp:+15550000001', body: `hello ${i}`, mediaId: null, template: null, buttons: null, attempts: 0, queuedAt: sendAt, inDoubtSince: null, sendAt };
}

describe('outbox hand-over spacing', () => {
  it('spaces one sender’s sends even when every slot is due at once, without holding up another sender', async () => {
    const now = Date.now();
    // Slots already past: their timers all fire in the same turn.
    const claimed = [...Array.from({ length: 20 }, (_, i) => item(i, A, now - 1000)), ...Array.from({ length: 3 }, (_, i) => item(i, B, now - 1000))];
    const handedOver: { sender: string; at: number }[] = [];
    const transport: Transport = {
      name: 'twilio',
      send: async (msg: OutboundSend) => {
        handedOver.push({ sender: msg.from, at: performance.now() });
        return { kind: 'sent', sid: `SM${handedOver.length}`, status: 'queued', errorCode: null, errorMessage: null };
      },
      findSent: async () => null,
      listTemplates: async () => [],
      sendTypingIndicator: async () => {},
    };
    let claims = 0;
    const worker = new OutboxWorker(
      {
        store: {
          claimOutbox: async () => (claims++ === 0 ? claimed : []),
          recordSendResult: async () => undefined,
          nextOutboxDueAt: async () => null,
          getMedia: async () => null,
        } as never,
        bus: { publish: () => undefined, subscribe: () => () => undefined } as never,
        transport,
        clock: { now: () => Date.now() },
        config: { publicUrl: 'http://127.0.0.1' } as never,
      },
      pino({ level: 'silent' }),
    );
    const started = performance.now();
    await worker.drain();

    const times = (sender: string) => handedOver.filter((h) => h.sender === sender).map((h) => h.at);
    const a = times(A);
    assert.equal(a.length, 20);
    // The worker spaces its hand-over decisions exactly; the fake reads its clock a few
    // microseconds after each, and that jitter (not the pacing) is what the 0.5 ms allows.
    for (let i = 1; i < a.length; i++) {
      assert.ok(a[i]! - a[0]! >= i * SEND_INTERVAL_MS - 0.5, `send ${i} of one sender came ${(a[i]! - a[0]!).toFixed(2)} ms after the first`);
    }
    // Paced, not slowed down: a late timer does not push the rest of the run back.
    assert.ok(a[19]! - a[0]! < 19 * SEND_INTERVAL_MS + 25, `20 sends took ${(a[19]! - a[0]!).toFixed(1)} ms`);
    const b = times(B);
    assert.equal(b.length, 3);
    assert.ok(b[0]! - started < 5 * SEND_INTERVAL_MS, `the other sender started after ${(b[0]! - started).toFixed(1)} ms`);
    assert.ok(b[2]! < a[10]!, 'the other sender finished while the first was still sending');
  });
});
