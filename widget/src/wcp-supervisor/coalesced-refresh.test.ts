import { expect, waitUntil } from '@open-wc/testing';
import { CoalescedRefresh } from './coalesced-refresh.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CoalescedRefresh', () => {
  it('turns a burst of requests into one read', async () => {
    let reads = 0;
    const refresh = new CoalescedRefresh(async () => void reads++, 20);
    for (let i = 0; i < 10; i++) refresh.request();
    await sleep(80);
    expect(reads).to.equal(1);
    refresh.stop();
  });

  it('reads once more after a read that requests arrived during, never two at once', async () => {
    let reads = 0;
    let inFlight = 0;
    let most = 0;
    let finish: () => void = () => undefined;
    const refresh = new CoalescedRefresh(async () => {
      reads++;
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => (finish = resolve));
      inFlight--;
    }, 10);
    refresh.request();
    await waitUntil(() => reads === 1);
    for (let i = 0; i < 5; i++) refresh.request(); // while the first read is in flight
    finish();
    await waitUntil(() => reads === 2, 'one more read for what came meanwhile');
    finish();
    await sleep(50);
    expect(reads).to.equal(2);
    expect(most).to.equal(1);
    refresh.stop();
  });

  it('reads nothing once stopped', async () => {
    let reads = 0;
    const refresh = new CoalescedRefresh(async () => void reads++, 10);
    refresh.request();
    refresh.stop();
    refresh.request();
    await sleep(40);
    expect(reads).to.equal(0);
  });
});
