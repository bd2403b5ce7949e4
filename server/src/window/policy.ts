/**
 * WhatsApp's 24-hour customer-service window, as pure functions of stored inbound times
 * and a clock reading. The window opens and re-opens on every inbound customer message
 * and closes 24 h after the most recent one; agent messages never extend it. WhatsApp's own
 * word that it closed (Twilio error 63016 on a reply) closes it where WhatsApp said.
 */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

/** Warn the agent in the last hour. */
export const WINDOW_WARNING_MS = 60 * 60 * 1000;

/** The 24 hours after a customer's message (null: no message); a conversation's window is replyWindowCloses. */
export function windowExpiresAt(lastInboundAt: number | null): number | null {
  return lastInboundAt === null ? null : lastInboundAt + WINDOW_MS;
}

export function isWindowOpen(lastInboundAt: number | null, now: number): boolean {
  const expiresAt = windowExpiresAt(lastInboundAt);
  return expiresAt !== null && now < expiresAt;
}

/** What a conversation's window is read from. */
export interface WindowTimes {
  /** The customer's newest message, as the relay received it. */
  lastInboundAt: number | null;
  /** When WhatsApp was found to have refused a reply as outside the window (Twilio 63016); null: never. */
  windowClosedAt: number | null;
}

/**
 * When the conversation's window closes: 24 h after the customer's newest message, or earlier
 * where WhatsApp refused a reply as outside it. Its clock starts the window when the customer
 * sent, ours when the webhook arrived, a little later: near the end, WhatsApp's word wins. A
 * message from the customer after that refusal re-opens it.
 */
export function replyWindowCloses(c: WindowTimes): number | null {
  const byClock = windowExpiresAt(c.lastInboundAt);
  if (byClock === null || c.windowClosedAt === null || c.windowClosedAt <= c.lastInboundAt!) return byClock;
  return Math.min(byClock, c.windowClosedAt);
}

export function isReplyWindowOpen(c: WindowTimes, now: number): boolean {
  const closes = replyWindowCloses(c);
  return closes !== null && now < closes;
}

/**
 * Where WhatsApp's refusal of a reply as outside the window (63016), learned `now`, closes the
 * conversation's window; null when it changes nothing. WhatsApp judged the window when the reply
 * was sent, between its queueing and now: if the customer wrote since it was queued, their
 * message re-opened the window and the refusal says nothing of it.
 */
export function closeWindowAt(c: WindowTimes, reply: { queuedAt: number }, now: number): number | null {
  if (c.lastInboundAt !== null && reply.queuedAt <= c.lastInboundAt) return null;
  const closes = replyWindowCloses(c);
  return closes !== null && closes <= now ? null : now;
}

/** The newest inbound time wins; an older (late-delivered) message never shortens the window. */
export function reopenWindow(lastInboundAt: number | null, inboundAt: number): number {
  return lastInboundAt === null ? inboundAt : Math.max(lastInboundAt, inboundAt);
}

export type SendKind = 'freeform' | 'template';

export type SendDecision = { allowed: true } | { allowed: false; reason: 'window_expired' };

/** Free-form text and media need an open window; approved templates are always allowed. */
export function decideSend(kind: SendKind, conversation: WindowTimes, now: number): SendDecision {
  if (kind === 'template' || isReplyWindowOpen(conversation, now)) return { allowed: true };
  return { allowed: false, reason: 'window_expired' };
}
