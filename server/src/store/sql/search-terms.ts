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
