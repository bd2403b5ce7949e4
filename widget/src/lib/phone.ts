/**
 * A phone number as typed in a CRM field ("+1 (415) 555-0100", "0044 20 ...") in E.164,
 * or null when it cannot be one. Numbers without a country code cannot be resolved here.
 */
export function toE164(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let digits = raw.trim().replace(/^whatsapp:/i, '').replace(/[\s().-]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  return /^\+[1-9]\d{6,14}$/.test(digits) ? digits : null;
}
