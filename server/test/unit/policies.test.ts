import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canTransition } from '@wcp/protocol/states';
import { nextStatus } from '@wcp/protocol/status-order';
import { chooseAgent, type RoutingCandidate } from '../../src/routing/policy.ts';
import { backoffMs } from '../../src/outbox/worker.ts';

describe('status ordering', () => {
  it('moves forward only and keeps terminal states', () => {
    assert.equal(nextStatus('queued', 'sent'), 'sent');
    assert.equal(nextStatus('delivered', 'sent'), 'delivered');
    assert.equal(nextStatus('read', 'delivered'), 'read');
    assert.equal(nextStatus('sent', 'failed'), 'failed');
    assert.equal(nextStatus('failed', 'delivered'), 'failed');
    assert.equal(nextStatus('undelivered', 'read'), 'undelivered');
  });
});

describe('conversation states', () => {
  it('follows Open → Active → Waiting ↔ Active → Wrap-up → Closed', () => {
    const ok: [string, string][] = [['open', 'active'], ['active', 'waiting'], ['waiting', 'active'], ['active', 'wrapup'], ['waiting', 'wrapup'], ['wrapup', 'closed']];
    for (const [a, b] of ok) assert.ok(canTransition(a as never, b as never), `${a}→${b}`);
    for (const [a, b] of [['open', 'closed'], ['closed', 'open'], ['wrapup', 'active'], ['active', 'closed'], ['active', 'open']]) {
      assert.ok(!canTransition(a as never, b as never), `${a}→${b}`);
    }
  });
});

describe('routing', () => {
  const agent = (id: string, presence: RoutingCandidate['presence'], load = 0, lastOfferedAt: number | null = null): RoutingCandidate => ({ id, presence, capacity: 2, load, lastOfferedAt });
  it('prefers available, then busy, never dnd/away/offline', () => {
    assert.equal(chooseAgent([agent('b', 'busy'), agent('a', 'available')], new Set()), 'a');
    assert.equal(chooseAgent([agent('b', 'busy'), agent('d', 'dnd'), agent('w', 'away'), agent('o', 'offline')], new Set()), 'b');
    assert.equal(chooseAgent([agent('d', 'dnd'), agent('w', 'away')], new Set()), null);
  });
  it('skips full agents and decliners, balances load, rotates fairly', () => {
    assert.equal(chooseAgent([agent('a', 'available', 2), agent('b', 'available', 1)], new Set()), 'b');
    assert.equal(chooseAgent([agent('a', 'available'), agent('b', 'available')], new Set(['a'])), 'b');
    assert.equal(chooseAgent([agent('a', 'available', 0, 200), agent('b', 'available', 0, 100)], new Set()), 'b');
  });
});

describe('outbox backoff', () => {
  it('grows exponentially with jitter and caps at five minutes', () => {
    assert.equal(backoffMs(0, () => 0), 500);
    assert.equal(backoffMs(0, () => 1), 1000);
    assert.equal(backoffMs(3, () => 1), 8000);
    assert.equal(backoffMs(20, () => 1), 300_000);
  });
});
