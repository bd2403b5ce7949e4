import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * A phone number as typed in a CRM field ("+1 (415) 555-0100", "0044 20 ...", "+49/151 ...",
 * "whatsapp:+1...") in E.164, or null when it cannot be one: the whole text must be one
 * possible number of a known country (libphonenumber's lengths), no extension, no letters.
 * Numbers without a country code are only resolved with `defaultCallingCode` ("1", "44"),
 * which a caller gives when it knows where its numbers were typed: no country guessing here.
 * The one rule for the panel, the demo CRM and the Power Apps control (pcf/WhatsAppPanel/phone.ts).
 */
export function toE164(raw: string | null | undefined, defaultCallingCode?: string): string | null {
  let text = raw?.trim() ?? '';
  if (text.toLowerCase().startsWith(WHATSAPP_PREFIX)) text = text.slice(WHATSAPP_PREFIX.length).trim();
  // "00" is the international prefix in most countries; libphonenumber knows it only with a default country.
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  if (!text) return null;
  const parsed = parsePhoneNumberFromString(text, defaultCallingCode ? { extract: false, defaultCallingCode } : { extract: false });
  return parsed?.isPossible() && !parsed.ext ? parsed.number : null;
}

const WHATSAPP_PREFIX = 'whatsapp:';

/** An E.164 number spaced for reading ("+55 11 91234 5678"); as given when it is not one. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
