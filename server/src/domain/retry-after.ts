/**
 * An HTTP `Retry-After` header (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds, or
 * an HTTP date. Twilio sends it with 429 and 503, Dataverse with its service protection limits;
 * retrying sooner only adds to the load that made them ask.
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
