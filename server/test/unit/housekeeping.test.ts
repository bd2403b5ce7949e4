/** The store's cleanups: every ten minutes until stopped; every batch of uploads due; one failing, logged, does not hold up the other. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/domain/clock.ts';
import { HOUSEKEEPING_EVERY_MS, Housekeeping } from '../../src/services/housekeeping.ts';

function recorder() {
  const lines: Array<{ level: string; message: string }> = [];
  return {
    lines,
    log: {
      info: (_: object, message: string) => void lines.push({ level: 'info', message }),
      warn: (_: object, message: string) => void lines.push({ level: 'warn', message }),
    } as unknown as ConstructorParameters<typeof Housekeeping>[2],
  };
}

describe('Housekeeping', () => {
  it('removes lapsed request limits and every batch of unsent uploads due, and says how many uploads went', async () => {
    const batches = [{ forgotten: 20, more: true }, { forgotten: 20, more: true }, { forgotten: 3, more: false }];
    const calls: string[] = [];
    const store = {
      forgetLapsedRequestLimits: async () => (calls.push('limits'), 4),
      forgetUnsentUploads: async () => (calls.push('uploads'), batches.shift()!),
    };
    const { lines, log } = recorder();
    assert.deepEqual(await new Housekeeping(store, new ManualClock(), log).pass(), { requestLimits: 4, uploads: 43 });
    assert.deepEqual(calls, ['limits', 'uploads', 'uploads', 'uploads']);
    assert.deepEqual(lines, [{ level: 'info', message: 'unsent uploads removed' }]);
  });

  it('logs a failed cleanup and still does the other; a store without shared limits skips them', async () => {
    const { lines, log } = recorder();
    const failingLimits = { forgetLapsedRequestLimits: () => Promise.reject(new Error('connection lost')), forgetUnsentUploads: async () => ({ forgotten: 1, more: false }) };
    assert.deepEqual(await new Housekeeping(failingLimits, new ManualClock(), log).pass(), { requestLimits: 0, uploads: 1 });
    const failingUploads = { forgetUnsentUploads: () => Promise.reject(new Error('disk I/O error')) };
    assert.deepEqual(await new Housekeeping(failingUploads, new ManualClock(), log).pass(), { requestLimits: 0, uploads: 0 });
    assert.deepEqual(
      lines.map((l) => l.message),
      ['housekeeping: lapsed request limits not removed', 'unsent uploads removed', 'housekeeping: unsent uploads not removed'],
    );
  });

  it('runs at start and every ten minutes until stopped', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    let passes = 0;
    const housekeeping = new Housekeeping({ forgetUnsentUploads: async () => (passes++, { forgotten: 0, more: false }) }, new ManualClock(), recorder().log);
    housekeeping.start();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(passes, 1, 'at start');
    t.mock.timers.tick(HOUSEKEEPING_EVERY_MS - 1);
    assert.equal(passes, 1);
    t.mock.timers.tick(1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(passes, 2);
    housekeeping.stop();
    t.mock.timers.tick(HOUSEKEEPING_EVERY_MS * 3);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(passes, 2, 'none after the stop');
  });
});
