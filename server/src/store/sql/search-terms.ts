import { UNSPACED_CLASS, UNSPACED_RANGES } from '@wcp/protocol/search-words';

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
const UNSPACED_CHAR = new RegExp(`^${UNSPACED_CLASS}$`, 'u');

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
