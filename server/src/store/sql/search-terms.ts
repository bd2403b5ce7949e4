import { codePointClass, type CodePointRange, UNSPACED_CLASS, UNSPACED_RANGES } from '@wcp/protocol/search-words';

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

// One character per index word in Han and kana (@wcp/protocol/search-words says why).
const UNSPACED = new RegExp(UNSPACED_CLASS, 'gu');

/** The same class in PostgreSQL's regular expressions, for the index expression (pg-tx.ts SEARCH_TEXT). */
export const UNSPACED_CLASS_PG = pgClass(UNSPACED_RANGES);

/**
 * Thai, Lao, Khmer and Myanmar (their blocks and extensions) are written without spaces between
 * words too, but their words are several letters long and a letter alone says nothing: the
 * word boundaries come from ICU's dictionaries (Intl.Segmenter; Node ships full ICU), so
 * "พัสดุ" is found inside "พัสดุของผมยังไม่มาถึง" instead of only at its beginning.
 */
const DICTIONARY_RANGES: readonly CodePointRange[] = [
  [0x0e00, 0x0e7f],
  [0x0e80, 0x0eff],
  [0x1000, 0x109f],
  [0x1780, 0x17ff],
  [0x19e0, 0x19ff],
  [0xa9e0, 0xa9ff],
  [0xaa60, 0xaa7f],
];
const DICTIONARY_CLASS = codePointClass(DICTIONARY_RANGES);
const DICTIONARY_RUN = new RegExp(`${DICTIONARY_CLASS}+`, 'gu');
const HAS_DICTIONARY_SCRIPT = new RegExp(DICTIONARY_CLASS, 'u');
/** The same class in PostgreSQL's regular expressions, to find the messages written before search_text was kept (postgres/search-text-backfill.ts). */
export const DICTIONARY_CLASS_PG = pgClass(DICTIONARY_RANGES);
// The root locale's rules: a message's words do not depend on the relay's LANG.
const WORD_BREAKS = new Intl.Segmenter('und', { granularity: 'word' });

/**
 * The text with a mark between each two words ICU's dictionaries find in its Thai, Lao, Khmer and
 * Myanmar runs; null when it has none (most messages: PostgreSQL keeps nothing beside them). Only
 * JavaScript can do this, so PostgreSQL keeps it in messages.search_text, written with the message;
 * SQLite's index calls searchableText, which calls this.
 */
export function dictionaryWordBreaks(text: string): string | null {
  if (!HAS_DICTIONARY_SCRIPT.test(text)) return null;
  return text.replace(DICTIONARY_RUN, (run) => Array.from(WORD_BREAKS.segment(run), (part) => part.segment).join(SEARCH_MARK));
}

/** Code-point ranges as a class of PostgreSQL's regular expressions (its \uXXXX and \UXXXXXXXX escapes). */
function pgClass(ranges: readonly CodePointRange[]): string {
  return `[${ranges.map(([from, to]) => `${pgCodePoint(from)}-${pgCodePoint(to)}`).join('')}]`;
}

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
const UNSPACED_CHAR = new RegExp(`^${UNSPACED_CLASS}$`, 'u');

/** U+0001: a blank to SQLite's unicode61 tokenizer and to PostgreSQL's parser in any locale; taken out of snippets. */
export const SEARCH_MARK = '\u0001';

/**
 * Text as the search index reads it: each Han or kana character set off by a mark on both sides,
 * and a mark between the words of a Thai, Lao, Khmer or Myanmar run (dictionaryWordBreaks).
 */
export function searchableText(text: string): string {
  return (dictionaryWordBreaks(text) ?? text).replace(UNSPACED, `${SEARCH_MARK}$&${SEARCH_MARK}`);
}

/** The index's words one search word stands for, in order: itself, or (with unspaced-script characters) its parts, to be found side by side. */
export function searchUnits(word: string): string[] {
  return searchableText(word).split(SEARCH_MARK).filter(Boolean);
}
