/**
 * Text compared the way the searches the panel shows compare it (Dataverse's collation, the
 * relay's transcript search): lower case, compatibility forms unfolded ("ﬁ", full-width
 * letters), Latin accents (combining marks U+0300–036F) dropped. Other scripts' marks stay: a
 * Devanagari vowel sign is part of its word.
 */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}
