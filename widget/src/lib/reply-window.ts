/**
 * WhatsApp's 24-hour customer-service window as the panel sees it: the one place that turns
 * a conversation's `windowExpiresAt` (set by the relay) into closed / time left. The relay
 * decides when the window opens and closes; the panel only counts down to it.
 */
import { msg } from '@lit/localize';

/**
 * The 24-hour error in the panel's language; in English exactly the relay's
 * `WINDOW_EXPIRED_MESSAGE` (a test holds the two together).
 */
export function windowExpiredMessage(): string {
  return msg('This conversation has exceeded the 24 hour limit to respond to the customer.');
}

/** The last hour of the window is shown as a warning. */
export const WINDOW_WARNING_MS = 3600_000;

export interface ReplyWindow {
  /** Free-form messages can no longer be sent (no inbound message yet counts as closed). */
  closed: boolean;
  /** Time left, 0 once closed. */
  remainingMs: number;
  /** Open, but in its last hour. */
  closingSoon: boolean;
}

export function replyWindow(windowExpiresAt: string | null, now = Date.now()): ReplyWindow {
  const remainingMs = windowExpiresAt === null ? 0 : Math.max(0, Date.parse(windowExpiresAt) - now);
  const closed = remainingMs <= 0;
  return { closed, remainingMs, closingSoon: !closed && remainingMs <= WINDOW_WARNING_MS };
}

export function isWindowClosed(windowExpiresAt: string | null, now = Date.now()): boolean {
  return replyWindow(windowExpiresAt, now).closed;
}

/** Orders windows by when they close; one that never opened comes first. */
export function windowExpiryOrder(windowExpiresAt: string | null): number {
  return windowExpiresAt === null ? -Infinity : Date.parse(windowExpiresAt);
}
