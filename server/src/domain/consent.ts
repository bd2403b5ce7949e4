/**
 * A customer's consent to messages from a business number (WhatsApp opt-out), as pure
 * rules: which messages change it, which Twilio errors mean the customer opted out, and
 * the refusal of any send while they are.
 */
import { DomainError } from './errors.ts';

/** A message that is exactly one of these (any case, trimmed) opts the customer out. */
export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'] as const;
/** A message that is exactly one of these opts the customer back in. */
export const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'] as const;
/** Twilio errors on a send that mean the customer opted out: 21610 (unsubscribed recipient), 63014 (the user blocked the business). */
export const OPT_OUT_ERROR_CODES: readonly number[] = [21610, 63014];

export interface ConsentChange {
  optedOut: boolean;
  /** What the consent log records: `keyword:STOP`, `twilio:21610`, … */
  cause: string;
}

/** The change a customer's message asks for, or null when it is not a consent keyword. */
export function consentChangeOf(body: string): ConsentChange | null {
  const word = body.trim().toUpperCase();
  if ((OPT_OUT_KEYWORDS as readonly string[]).includes(word)) return { optedOut: true, cause: `keyword:${word}` };
  if ((OPT_IN_KEYWORDS as readonly string[]).includes(word)) return { optedOut: false, cause: `keyword:${word}` };
  return null;
}

/** What the consent log records when a customer WhatsApp said had blocked the business writes to it again. */
export const RE_ENGAGED_CAUSE = 'customer:wrote-after-block';

/**
 * The change a customer's message (received at `receivedAt`) makes when they are opted out: a
 * block WhatsApp reported (63014) ends when they write again, since a WhatsApp user who blocked a
 * business cannot message it (Twilio: stop sending "until they re-engage"). An opt-out they asked
 * for (STOP) stays until they send START; null then, and when the message is older than the block.
 */
export function consentChangeOfReturn(latest: { optedOut: boolean; cause: string; createdAt: number } | null, receivedAt: number): ConsentChange | null {
  if (!latest?.optedOut || latest.cause !== 'twilio:63014' || receivedAt < latest.createdAt) return null;
  return { optedOut: false, cause: RE_ENGAGED_CAUSE };
}

/** The change a failed send's Twilio error means, or null. */
export function consentChangeOfError(code: number | null): ConsentChange | null {
  return code !== null && OPT_OUT_ERROR_CODES.includes(code) ? { optedOut: true, cause: `twilio:${code}` } : null;
}

export const OPTED_OUT_MESSAGE =
  'The customer opted out of WhatsApp messages from this number (they sent STOP, or WhatsApp refused delivery because they blocked it). Nothing can be sent until they write again (after STOP: until they send START).';

/** Every send (free form or template) is refused while the customer is opted out. */
export function assertMayMessage(conversation: { optedOut: boolean }): void {
  if (conversation.optedOut) throw new DomainError('opted_out', OPTED_OUT_MESSAGE);
}
