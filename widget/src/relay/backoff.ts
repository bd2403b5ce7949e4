/** Reconnect delay: exponential with "equal jitter", so reconnecting panels do not stampede a restarted relay. */
export function backoffDelay(
  attempt: number,
  { baseMs = 500, maxMs = 30_000, random = Math.random }: { baseMs?: number; maxMs?: number; random?: () => number } = {},
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
