/**
 * A phone number as typed in a CRM field ("+1 (415) 555-0100", "0044 20 ...", "+49/151 ...")
 * in E.164, or null when it cannot be one. Numbers without a country code cannot be resolved
 * here: no country guessing. E.164 allows 7 to 15 digits (Niue's are 7). The one rule for the
 * panel and the Power Apps control (pcf/WhatsAppPanel/phone.ts imports it).
 */
export function toE164(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let digits = raw.trim().replace(/^whatsapp:/i, '').replace(/[\s().\-/]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  return /^\+[1-9]\d{6,14}$/.test(digits) ? digits : null;
}
