/**
 * Phone numbers as the CRM stores them (free text) versus as WhatsApp knows them (E.164).
 * No country guessing: a number without its country code cannot be made E.164 safely.
 */

import { toE164 } from '@wcp/widget/phone';

/** `+15550101234` from `+1 (555) 010-1234`, `0015550101234` or `whatsapp:+15550101234`; null when not international. */
export { toE164 };

/**
 * The spellings of one E.164 number that a `$filter ... eq` can find: with `+`, with `00`,
 * and bare digits. Formatted numbers (spaces, dashes) are not found by eq; see README.
 */
export function storedPhoneVariants(phoneE164: string): string[] {
  const digits = phoneE164.slice(1);
  return [phoneE164, `00${digits}`, digits];
}

/** True when a stored phone (any formatting) is the same number as the E.164 one. */
export function isSamePhone(stored: string | null | undefined, phoneE164: string): boolean {
  if (!stored) return false;
  const normalized = toE164(stored) ?? toE164(`+${stored.replace(/\D/g, '')}`);
  return normalized === phoneE164;
}
