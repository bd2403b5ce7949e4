import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WINDOW_MS, closeWindowAt, decideSend, isWindowOpen, replyWindowCloses, reopenWindow, windowExpiresAt } from '../../src/window/policy.ts';

const T = Date.parse('2026-05-01T12:00:00Z');

describe('the 24-hour window', () => {
  it('has no window before any inbound message', () => {
    assert.equal(windowExpiresAt(null), null);
    assert.equal(isWindowOpen(null, T), false);
  });
  it('is open at 23:59:59.999 and closed at 24:00:00', () => {
    assert.equal(isWindowOpen(T, T + WINDOW_MS - 1), true);
    assert.equal(isWindowOpen(T, T + WINDOW_MS), false);
  });
  it('re-opens from the newest inbound message, never from an older one', () => {
    assert.equal(reopenWindow(T, T + 1000), T + 1000);
    assert.equal(reopenWindow(T + 1000, T), T + 1000);
    assert.equal(reopenWindow(null, T), T);
  });
  it('allows templates always and free-form only inside', () => {
    const never = { lastInboundAt: null, windowClosedAt: null };
    const at = { lastInboundAt: T, windowClosedAt: null };
    assert.deepEqual(decideSend('template', never, T), { allowed: true });
    assert.deepEqual(decideSend('freeform', never, T), { allowed: false, reason: 'window_expired' });
    assert.deepEqual(decideSend('freeform', at, T + WINDOW_MS - 1), { allowed: true });
    assert.deepEqual(decideSend('freeform', at, T + WINDOW_MS), { allowed: false, reason: 'window_expired' });
  });
  it("closes where WhatsApp refused a reply as outside it (63016), until the customer writes again", () => {
    const refusedAt = T + WINDOW_MS - 60_000;
    const refused = { lastInboundAt: T, windowClosedAt: refusedAt };
    assert.equal(replyWindowCloses(refused), refusedAt);
    assert.deepEqual(decideSend('freeform', refused, refusedAt), { allowed: false, reason: 'window_expired' });
    assert.deepEqual(decideSend('template', refused, refusedAt), { allowed: true });
    // The customer's next message re-opens it for 24 hours.
    const wroteAgain = { lastInboundAt: refusedAt + 5_000, windowClosedAt: refusedAt };
    assert.equal(replyWindowCloses(wroteAgain), refusedAt + 5_000 + WINDOW_MS);
    // Never later than the 24 hours.
    assert.equal(replyWindowCloses({ lastInboundAt: T, windowClosedAt: T + WINDOW_MS + 1 }), T + WINDOW_MS);
  });
  it('takes a refusal (63016) as closing the window only when no customer message came since the reply was queued', () => {
    const open = { lastInboundAt: T, windowClosedAt: null };
    const now = T + WINDOW_MS - 30_000;
    assert.equal(closeWindowAt(open, { queuedAt: T + 1_000 }, now), now);
    // The customer wrote after the reply was queued: their message re-opened the window.
    assert.equal(closeWindowAt({ lastInboundAt: T + 2_000, windowClosedAt: null }, { queuedAt: T + 1_000 }, now), null);
    // Closed already (by the clock, or an earlier refusal): nothing moves.
    assert.equal(closeWindowAt(open, { queuedAt: T + 1_000 }, T + WINDOW_MS + 5), null);
    assert.equal(closeWindowAt({ lastInboundAt: T, windowClosedAt: now - 10 }, { queuedAt: T + 1_000 }, now), null);
  });
});
