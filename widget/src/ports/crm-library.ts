/**
 * The rules for the library admins keep in the CRM (quick replies `wcp_quickreply`, agent
 * scripts `wcp_agentscript`, knowledge articles), shared by every CrmPort adapter (Dataverse in
 * pcf/, the demo's in-memory CRM) so they read the same rows the same way.
 */
import type { AgentScript } from '@wcp/protocol';
import { fold } from '../lib/fold.js';
import { words } from '../side/smart-assist/tokens.js';

type ScriptStep = AgentScript['steps'][number];

/** "pt-BR" → "pt": an agent in Brazilian Portuguese also gets replies written for "pt". */
const primary = (tag: string) => tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';

/**
 * The rows for an agent's language: those in it (same primary language subtag) plus those
 * with no language; when none is in it, every row — an agent sees English replies rather
 * than none. Order is kept.
 */
export function inAgentLanguage<T>(rows: readonly T[], languageOf: (row: T) => string | null | undefined, agentLanguage: string): T[] {
  const wanted = primary(agentLanguage);
  const inIt = rows.filter((row) => wanted !== '' && primary(languageOf(row) ?? '') === wanted);
  if (inIt.length === 0) return [...rows];
  return rows.filter((row) => inIt.includes(row) || !languageOf(row)?.trim());
}

/** Separates a step's title from the text it inserts into the composer: `Greet the customer | Hi {customer.name}!` */
export const STEP_TEXT_SEPARATOR = ' | ';

/** "1. ", "2) ", "- ", "* ", "• ": admins number or bullet their lines; the panel numbers them itself. */
const LIST_MARKER = /^(?:\d+[.)]|[-*•])\s+/;

/**
 * `wcp_steps` as the panel's steps: one step a line, in order, blank lines skipped. A line
 * `title | text` gives a step that can insert `text` (placeholders allowed); a line without
 * the separator is an instruction only (no text to insert). Ids are the step's position, so
 * an agent's ticks stay on the same steps while the script is unchanged.
 */
export function scriptSteps(steps: string | null | undefined): ScriptStep[] {
  return (steps ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim().replace(LIST_MARKER, ''))
    .filter((line) => line !== '')
    .map((line, index) => {
      const at = line.indexOf(STEP_TEXT_SEPARATOR);
      const title = at < 0 ? line : line.slice(0, at).trim();
      const text = at < 0 ? null : line.slice(at + STEP_TEXT_SEPARATOR.length).trim() || null;
      return { id: `step-${index + 1}`, title: title || (text ?? ''), text };
    });
}

/**
 * At most this many words of a knowledge query are searched: in Dataverse each one is a
 * `contains()` per column in the request URL. Smart assist asks with at most 8 (`keywords`).
 */
export const KNOWLEDGE_QUERY_WORDS = 8;

/** Sentence punctuation around a typed word ("parcel?", "(refund)"), not part of what is searched. */
const EDGE_PUNCTUATION = /^[("'“‘¿¡]+|[.,!?;:)"'”’]+$/gu;

/**
 * The words a CRM's substring search (Dataverse `contains()`) looks for, each once and as
 * typed ("O'Neil", "KA-01042" stay whole): those that say what the query is about, or the
 * query itself when it is only stop words ("how to"), so nothing the agent typed is ignored.
 */
export function knowledgeSearchWords(query: string): string[] {
  const typed = query.trim().split(/\s+/).map((word) => word.replace(EDGE_PUNCTUATION, '')).filter(Boolean);
  const meaningful = typed.filter((word) => words(word).length > 0);
  const chosen = meaningful.length > 0 ? meaningful : [query.trim()].filter(Boolean);
  const seen = new Set<string>();
  return chosen.filter((word) => !seen.has(fold(word)) && seen.add(fold(word))).slice(0, KNOWLEDGE_QUERY_WORDS);
}

/** Whether `text` contains `word` as Dataverse's `contains()` finds it: its default collation ignores case and accents. */
export function textContains(text: string, word: string): boolean {
  return fold(text).includes(fold(word));
}

/**
 * Articles best first by the words they match: a word in the title counts twice, one in the
 * summary once, as the title says what the article answers. Articles that score the same keep
 * the CRM's order; those matching no word come last with score 0 (the caller decides whether
 * a CRM that found them by its own collation keeps them).
 */
export function rankKnowledge<T>(
  articles: readonly T[],
  queryWords: readonly string[],
  textOf: (article: T) => { title: string; summary: string },
  has: (text: string, word: string) => boolean,
): { article: T; score: number }[] {
  return articles
    .map((article) => {
      const { title, summary } = textOf(article);
      const score = queryWords.reduce((sum, word) => sum + (has(title, word) ? 2 : 0) + (has(summary, word) ? 1 : 0), 0);
      return { article, score };
    })
    .sort((a, b) => b.score - a.score);
}
