/**
 * A background pass run at once and then every `everyMs` (the event log pruner, housekeeping):
 * the timer does not keep the process alive, and a pass that fails is reported to `failed` while
 * the next one still runs. Returns the stop.
 */
export function runNowAndEvery(everyMs: number, pass: () => Promise<unknown>, failed: (err: unknown) => void): () => void {
  const run = () => void pass().catch(failed);
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
