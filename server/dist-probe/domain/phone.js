/** WhatsApp addresses on Twilio are `whatsapp:+<E.164>`. */
const E164 = /^\+[1-9]\d{6,14}$/;
export const isE164 = (value) => E164.test(value);
export function toWhatsAppAddress(e164) {
    return `whatsapp:${e164}`;
}
/** Masks a number for logs, hiding the subscriber's last four digits: +14155550123 -> +1415555****. */
export function maskPhone(e164) {
    return e164.length <= 6 ? '****' : `${e164.slice(0, -4)}****`;
}
//# sourceMappingURL=phone.js.map