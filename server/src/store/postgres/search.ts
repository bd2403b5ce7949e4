/**
 * Turns what an agent typed into a safe PostgreSQL tsquery: words only, each a prefix
 * term, all required — the same reading as the SQLite adapter's FTS5 query, so "track"
 * finds "tracking". Operators typed by the agent are never interpreted.
 */
export function tsPrefixQuery(input: string): string | null {
  const words = input.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

/** ts_headline options: plain text (the widget renders it as text), about as long as SQLite's snippet. */
export const HEADLINE_OPTIONS = 'StartSel="", StopSel="", MaxWords=12, MinWords=5, ShortWord=0';
