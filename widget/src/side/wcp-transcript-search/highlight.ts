import { UNSPACED_CLASS } from '@wcp/protocol/search-words';
import { fold } from '../../lib/fold.js';

/**
 * A snippet cut into plain and matching parts, to render as text with <mark>. A part matches
 * what the agent typed as the relay's search does: case and accents ignored ("cafe" marks
 * "Café"), and a single Chinese or Japanese character is a word of its own there, so it is
 * marked too (other one-letter words are not: they would mark half the snippet).
 */
export function highlightParts(snippet: string, query: string): { text: string; match: boolean }[] {
  const terms = query
    .split(/\s+/)
    .map(fold)
    .filter((t) => t.length > 1 || UNSPACED_CHAR.test(t));
  if (terms.length === 0) return [{ text: snippet, match: false }];

  // The snippet folded character by character, each folded unit remembering the character it came from.
  let folded = '';
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < snippet.length; ) {
    const char = String.fromCodePoint(snippet.codePointAt(i)!);
    const units = fold(char);
    // A combining accent written apart folds to nothing: it stays with the letter before it.
    if (units === '' && to.length > 0) to[to.length - 1] = i + char.length;
    for (const unit of units) {
      folded += unit;
      from.push(i);
      to.push(i + char.length);
    }
    i += char.length;
  }

  // Where the terms are, in the snippet's own offsets, overlapping ones merged.
  const ranges: [number, number][] = [];
  // Longer words first: of "track" and "tracking", "tracking" is marked whole.
  const alternatives = [...terms].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(alternatives.join('|'), 'g');
  for (const found of folded.matchAll(pattern)) {
    if (found[0] === '') continue;
    const start = from[found.index]!;
    const end = to[found.index + found[0].length - 1]!;
    const last = ranges.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  }

  const parts: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push({ text: snippet.slice(at, start), match: false });
    parts.push({ text: snippet.slice(start, end), match: true });
    at = end;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), match: false });
  return parts;
}

/** Han and kana: each character is a word of its own to the relay's search. */
const UNSPACED_CHAR = new RegExp(`^${UNSPACED_CLASS}$`, 'u');
