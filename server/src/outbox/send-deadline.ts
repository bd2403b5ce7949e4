/**
 * How long the outbox keeps trying a reply Twilio has not taken (its 5xx, 429, no answer): as
 * long as the reply may still go. A contact centre's agent has already seen it as sent-pending,
 * so an outage of minutes or hours must not turn it into a failure while it could still reach
 * the customer once Twilio is back.
 */
import { replyWindowCloses, type WindowTimes } from '../window/policy.ts';

/**
 * A template is not bound by the 24-hour window, so it waits as long as Twilio itself holds a
 * message in its queue before giving up on it (ValidityPeriod: 36,000 s at most, the default).
 */
export const TEMPLATE_WAIT_MS = 10 * 60 * 60 * 1000;

/** The last try comes this long before the deadline, so a reply Twilio takes still reaches WhatsApp inside the window. */
export const LAST_TRY_MARGIN_MS = 60_000;

/** What the agent reads on a reply given up on (the panel shows it as the reason it was not delivered). */
export const WINDOW_CLOSED_WAITING =
  "Twilio was unavailable until the customer's 24-hour window closed, so this reply was not sent. Send an approved template to reach them.";
export const TEMPLATE_WAITED_TOO_LONG = 'Twilio was unavailable for the 10 hours a message may wait to go out, so this template was not sent. Retry to send it now.';

export interface SendDeadline {
  /** No try is made after this (epoch ms); a retry is brought forward to it. */
  lastTryAt: number;
  /** Why the reply failed, once past it. */
  reason: string;
}

/**
 * A session reply (text, media, quick-reply buttons) may only reach the customer while their
 * window is open: the conversation is read when asked, so a customer writing again gives the
 * reply a new day (and WhatsApp refusing another reply as outside the window ends it). A template waits TEMPLATE_WAIT_MS from when the agent queued (or retried) it.
 */
export function sendDeadline(reply: { template: boolean; queuedAt: number }, conversation: WindowTimes | null): SendDeadline {
  if (reply.template) return { lastTryAt: reply.queuedAt + TEMPLATE_WAIT_MS - LAST_TRY_MARGIN_MS, reason: TEMPLATE_WAITED_TOO_LONG };
  // No customer message at all: no window, nothing more to try.
  const closes = (conversation && replyWindowCloses(conversation)) ?? reply.queuedAt;
  return { lastTryAt: closes - LAST_TRY_MARGIN_MS, reason: WINDOW_CLOSED_WAITING };
}
