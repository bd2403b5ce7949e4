/**
 * The words of what an agent typed into transcript search: letters, digits and the combining
 * marks that belong to them (Devanagari and Thai vowel signs are marks: without them "चाहिए"
 * would fall apart into letters no message has), at most eight. Each dialect turns them into
 * its own prefix query (all words required), so operators typed by the agent are never
 * interpreted and "track" finds "tracking" in both.
 */
export function searchTerms(input: string): string[] {
  // Lower-casing "İ" gives "i" + a combining dot above that the indexed text does not have.
  const folded = input.normalize('NFC').toLowerCase().replace(/i\u0307/g, 'i');
  return folded.match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu)?.slice(0, 8) ?? [];
}

/**
 * Scripts written without spaces between words: kana (U+3040–30FF) and Han (the CJK unified
 * ideographs, extension A, the compatibility ideographs, and extensions B on). Both stores'
 * tokenizers take a run of them for one word, the whole sentence, so "包裹" was not found in
 * "我的包裹没有到". Each of these characters is indexed as a word of its own instead, and a word
 * typed in them is searched as the phrase of its characters (searchUnits). Hangul is spaced
 * and stays as it is; Thai is unspaced but alphabetic, and one letter per word would find
 * nearly everything.
 */
const UNSPACED_RANGES: readonly (readonly [number, number])[] = [
  [0x3040, 0x30ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
  [0x20000, 0x2fa1f],
];
const UNSPACED = new RegExp(`[${UNSPACED_RANGES.map(([from, to]) => `\\u{${from.toString(16)}}-\\u{${to.toString(16)}}`).join('')}]`, 'gu');

/** The same class in PostgreSQL's regular expressions (its \uXXXX and \UXXXXXXXX escapes), for the index expression (pg-tx.ts SEARCH_TEXT). */
export const UNSPACED_CLASS_PG = `[${UNSPACED_RANGES.map(([from, to]) => `${pgCodePoint(from)}-${pgCodePoint(to)}`).join('')}]`;

function pgCodePoint(n: number): string {
  return n > 0xffff ? `\\U${n.toString(16).padStart(8, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/**
 * How many of the index's words a snippet shows around a match: twelve, about a line; a search in
 * Chinese or Japanese, whose index words are single characters, gets twice as many, or its
 * snippet would be a few words long.
 */
export function snippetLength(words: readonly string[]): number {
  return words.some((word) => searchUnits(word).some((unit) => UNSPACED_CHAR.test(unit))) ? 24 : 12;
}
const UNSPACED_CHAR = new RegExp(`^${UNSPACED.source}$`, 'u');

/** U+0001: a blank to SQLite's unicode61 tokenizer and to PostgreSQL's parser in any locale; taken out of snippets. */
export const SEARCH_MARK = '\u0001';

/** Text as the search index reads it: each unspaced-script character set off by a mark on both sides. */
export function searchableText(text: string): string {
  return text.replace(UNSPACED, `${SEARCH_MARK}$&${SEARCH_MARK}`);
}

/** The index's words one search word stands for, in order: itself, or (with unspaced-script characters) its parts, to be found side by side. */
export function searchUnits(word: string): string[] {
  return searchableText(word).split(SEARCH_MARK).filter(Boolean);
}
