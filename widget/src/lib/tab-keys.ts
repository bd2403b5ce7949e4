/**
 * The tab a key moves to in a horizontal tab list of `count` tabs: Right and Left follow the tabs
 * as they stand on screen (so they swap right to left), Home and End go to the ends (wrapping
 * around); -1 for any other key.
 */
export function tabKeyTarget(key: string, index: number, count: number, list: Element): number {
  const step = key === 'ArrowRight' ? 1 : key === 'ArrowLeft' ? -1 : 0;
  if (step !== 0) {
    const forward = getComputedStyle(list).direction === 'rtl' ? -step : step;
    return (index + forward + count) % count;
  }
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return -1;
}
