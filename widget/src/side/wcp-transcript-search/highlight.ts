/** A snippet cut into plain and matching parts (case-insensitive), to render as text with <mark>. */
export function highlightParts(snippet: string, query: string): { text: string; match: boolean }[] {
  const terms = query
    .split(/\s+/)
    .filter((t) => t.length > 1)
    .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (terms.length === 0) return [{ text: snippet, match: false }];
  const pattern = new RegExp(`(${terms.join('|')})`, 'gi');
  return snippet
    .split(pattern)
    .filter((part) => part !== '')
    .map((part) => ({ text: part, match: terms.some((t) => new RegExp(`^${t}$`, 'i').test(part)) }));
}
