/**
 * Phone numbers as the CRM stores them (free text) versus as WhatsApp knows them (E.164).
 * No country guessing: a number without its country code cannot be made E.164 safely.
 */

import { toE164 } from '@wcp/widget/phone';

/** `+15550101234` from `+1 (555) 010-1234`, `0015550101234` or `whatsapp:+15550101234`; null when not international. */
export { toE164 };

/**
 * The spellings of one E.164 number that a `$filter ... eq` can find (an indexed lookup): with
 * `+` and with `00`. Formatted ones (spaces, dashes) are found by their last digits instead.
 */
export function storedPhoneVariants(phoneE164: string): string[] {
  return [phoneE164, `00${phoneE164.slice(1)}`];
}

/**
 * What a stored number ends with, as people write it: its last four digits together ("0100"),
 * or in pairs split by a space, a dash or a dot ("56 78", as French numbers are written).
 */
export function phoneEndings(phoneE164: string): string[] {
  const last = phoneE164.slice(-4);
  return [last, ...[' ', '-', '.'].map((separator) => `${last.slice(0, 2)}${separator}${last.slice(2)}`)];
}

/**
 * True when a stored phone (spaced, dashed, bracketed, with `+` or `00`) is the same number as
 * the E.164 one. Digits without either prefix are not read as international: "4585550100" is
 * as likely a US number in national form as Denmark's +45 8555 0100, and a wrong match shows
 * the agent another person's record.
 */
export function isSamePhone(stored: string | null | undefined, phoneE164: string): boolean {
  return !!stored && toE164(stored) === phoneE164;
}
