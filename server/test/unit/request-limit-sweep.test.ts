/** The shared request limits' sweep: lapsed counts are removed every ten minutes until stopped, and a failed sweep is logged, not thrown. */
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import pino from 'pino';
import { sweepLapsedLimits } from '../../src/routes/shared-rate-limit.ts';

describe('sweepLapsedLimits', () => {
  it('removes lapsed counts every ten minutes, logs a failure and goes on, and stops when told', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) });
    let sweeps = 0;
    const forget = mock.fn(async () => {
      sweeps += 1;
      if (sweeps === 2) throw new Error('connection lost');
      return 3;
    });
    const stop = sweepLapsedLimits(forget, log);
    t.mock.timers.tick(9 * 60_000);
    assert.equal(forget.mock.callCount(), 0, 'not before ten minutes');
    t.mock.timers.tick(60_000);
    t.mock.timers.tick(10 * 60_000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(forget.mock.callCount(), 2);
    assert.deepEqual(warnings, ['request limits: lapsed counts not removed']);
    t.mock.timers.tick(10 * 60_000);
    assert.equal(forget.mock.callCount(), 3, 'a failed sweep does not stop the next');
    stop();
    t.mock.timers.tick(60 * 60_000);
    assert.equal(forget.mock.callCount(), 3, 'none after the stop');
  });
});
