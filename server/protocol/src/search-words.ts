/**
 * Transcript search's rule for scripts written without spaces between words: kana (U+3040–30FF)
 * and Han (the CJK unified ideographs, extension A, the compatibility ideographs, and extensions
 * B on). Each of these characters is a word of its own, so a word inside a Chinese or Japanese
 * sentence is found as its characters side by side. The relay's index and query read it
 * (server/src/store/sql/search-terms.ts), and so does the panel's highlight of what was found.
 * Hangul is spaced; Thai, Lao, Khmer and Myanmar are unspaced but alphabetic (one letter per
 * word would match nearly everything): the relay finds their words with ICU's dictionaries.
 */
/** A run of Unicode code points, both ends included. */
export type CodePointRange = readonly [from: number, to: number];

export const UNSPACED_RANGES: readonly CodePointRange[] = [
  [0x3040, 0x30ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
  [0x20000, 0x2fa1f],
];

/** Code-point ranges as a JavaScript character class, for a regular expression with the `u` flag. */
export function codePointClass(ranges: readonly CodePointRange[]): string {
  return `[${ranges.map(([from, to]) => `\\u{${from.toString(16)}}-\\u{${to.toString(16)}}`).join('')}]`;
}

/** UNSPACED_RANGES as a JavaScript character class. */
export const UNSPACED_CLASS = codePointClass(UNSPACED_RANGES);
