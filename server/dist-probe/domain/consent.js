/**
 * A customer's consent to messages from a business number (WhatsApp opt-out), as pure
 * rules: which messages change it, which Twilio errors mean the customer opted out, and
 * the refusal of any send while they are.
 */
import { DomainError } from "./errors.js";
/** A message that is exactly one of these (any case, trimmed) opts the customer out. */
export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'];
/** A message that is exactly one of these opts the customer back in. */
export const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'];
/** Twilio errors on a send that mean the customer opted out: 21610 (unsubscribed recipient), 63014 (the user blocked the business). */
export const OPT_OUT_ERROR_CODES = [21610, 63014];
/** The change a customer's message asks for, or null when it is not a consent keyword. */
export function consentChangeOf(body) {
    const word = body.trim().toUpperCase();
    if (OPT_OUT_KEYWORDS.includes(word))
        return { optedOut: true, cause: `keyword:${word}` };
    if (OPT_IN_KEYWORDS.includes(word))
        return { optedOut: false, cause: `keyword:${word}` };
    return null;
}
/** The change a failed send's Twilio error means, or null. */
export function consentChangeOfError(code) {
    return code !== null && OPT_OUT_ERROR_CODES.includes(code) ? { optedOut: true, cause: `twilio:${code}` } : null;
}
export const OPTED_OUT_MESSAGE = 'The customer opted out of WhatsApp messages from this number (they sent STOP, or WhatsApp refused delivery). Nothing can be sent until they message START.';
/** Every send (free form or template) is refused while the customer is opted out. */
export function assertMayMessage(conversation) {
    if (conversation.optedOut)
        throw new DomainError('opted_out', OPTED_OUT_MESSAGE);
}
//# sourceMappingURL=consent.js.map