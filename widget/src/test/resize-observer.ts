/**
 * Chromium reports "ResizeObserver loop completed with undelivered notifications" as a
 * window error when the virtualizer re-measures within a frame; it is benign (the
 * notifications are delivered next frame) but mocha would fail the running test on it.
 * A capture listener on window runs before mocha's `onerror` and stops only this one.
 */
export function ignoreResizeObserverLoopErrors(): void {
  window.addEventListener(
    'error',
    (event) => {
      if (String(event.message).includes('ResizeObserver loop')) {
        event.stopImmediatePropagation();
        event.preventDefault();
      }
    },
    { capture: true },
  );
}
