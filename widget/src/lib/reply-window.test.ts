import { expect } from '@open-wc/testing';
import { isWindowClosed, replyWindow, windowExpiryOrder } from './reply-window.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const at = (ms: number) => new Date(now + ms).toISOString();

describe('replyWindow', () => {
  it('counts down to windowExpiresAt and warns in the last hour', () => {
    expect(replyWindow(at(5 * 3600_000), now)).to.deep.equal({ closed: false, remainingMs: 5 * 3600_000, closingSoon: false });
    expect(replyWindow(at(30 * 60_000), now)).to.deep.equal({ closed: false, remainingMs: 30 * 60_000, closingSoon: true });
  });

  it('is closed at and after expiry, and before the customer ever wrote', () => {
    expect(replyWindow(at(0), now)).to.deep.equal({ closed: true, remainingMs: 0, closingSoon: false });
    expect(replyWindow(at(-1000), now).remainingMs).to.equal(0);
    expect(isWindowClosed(null, now)).to.equal(true);
    expect(isWindowClosed(at(1), now)).to.equal(false);
  });

  it('orders a window that never opened before any that did', () => {
    const order = [at(2000), null, at(1000)].sort((a, b) => windowExpiryOrder(a) - windowExpiryOrder(b));
    expect(order).to.deep.equal([null, at(1000), at(2000)]);
  });
});
