export type TextPart = { text: string; href?: undefined } | { text: string; href: string };

/**
 * A URL ends at a direction control (ALM, LRM, RLM, the embeddings and overrides, the isolates):
 * one inside the link text would draw the address in another order than it opens, e.g.
 * "https://evil.example/\u202Emoc.knab" shown as ".../bank.com". The control stays in the text.
 */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

/**
 * Splits customer text into plain parts and http(s) links. Only http and https become
 * links (never javascript:, data: ...); the caller renders every part as text.
 */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    const candidate = match[0].replace(TRAILING_PUNCTUATION, '');
    const href = safeHref(candidate);
    if (!href) continue;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
