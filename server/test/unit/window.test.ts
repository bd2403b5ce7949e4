import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WINDOW_MS, decideSend, isWindowOpen, reopenWindow, windowExpiresAt } from '../../src/window/policy.ts';

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
    assert.deepEqual(decideSend('template', null, T), { allowed: true });
    assert.deepEqual(decideSend('freeform', null, T), { allowed: false, reason: 'window_expired' });
    assert.deepEqual(decideSend('freeform', T, T + WINDOW_MS - 1), { allowed: true });
    assert.deepEqual(decideSend('freeform', T, T + WINDOW_MS), { allowed: false, reason: 'window_expired' });
  });
});
