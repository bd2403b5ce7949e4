/**
 * Phone numbers as CRMs store them ("+1 (415) 555-0100", "0049 151 …", "415.555.0175") to
 * E.164 ("+14155550100"), so a WhatsApp sender matches its contact however it was typed.
 */
export function toE164(raw: string, defaultCountryCode = '1'): string | null {
  const trimmed = raw.trim();
  if (!trimmed) return null;
  const international = trimmed.startsWith('+') || trimmed.startsWith('00');
  let digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('00')) digits = digits.slice(2);
  if (!international) {
    // A national number: drop the trunk prefix (1 in North America, 0 in most of Europe)
    // and add the country code.
    const nanpTrunk = defaultCountryCode === '1' && digits.length === 11 && digits.startsWith('1');
    digits = defaultCountryCode + (nanpTrunk ? digits.slice(1) : digits.replace(/^0+/, ''));
  }
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : null;
}
