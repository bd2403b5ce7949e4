/**
 * Smart assist: which quick replies and knowledge articles fit the customer's latest message.
 * TF-IDF vectors over the candidates, cosine similarity with the message. Pure and small;
 * no model, so it runs on every inbound message in the browser.
 */
import type { QuickReply } from '@wcp/protocol';
import type { KnowledgeArticle } from '../../ports/crm-port.js';
import { tokenize } from './tokens.js';

export type Suggestion =
  | { kind: 'quick-reply'; item: QuickReply; score: number; matched: string[] }
  | { kind: 'article'; item: KnowledgeArticle; score: number; matched: string[] };

export interface SuggestOptions {
  /** At most this many of each kind (default 3). */
  perKind?: number;
  /** Below this cosine similarity a candidate is noise (default 0.1). */
  minScore?: number;
}

type Vector = Map<string, number>;

/** Placeholders ({customer.name}) say nothing about the topic. */
const withoutPlaceholders = (text: string) => text.replace(/\{[^}]*\}/g, ' ');

function quickReplyTerms(q: QuickReply): string[] {
  // Tags are chosen by people to say what the reply is about: count them twice.
  return [...tokenize(`${q.title} ${withoutPlaceholders(q.body)}`), ...q.tags.flatMap((t) => tokenize(t)).flatMap((t) => [t, t])];
}

function articleTerms(a: KnowledgeArticle): string[] {
  return [...tokenize(a.title), ...tokenize(a.title), ...tokenize(a.summary)];
}

function termFrequencies(terms: string[]): Vector {
  const tf: Vector = new Map();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

function weigh(tf: Vector, idf: Vector): Vector {
  const v: Vector = new Map();
  for (const [t, n] of tf) v.set(t, (1 + Math.log(n)) * (idf.get(t) ?? 0));
  return v;
}

function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  for (const [t, w] of a) dot += w * (b.get(t) ?? 0);
  if (dot === 0) return 0;
  const norm = (v: Vector) => Math.sqrt([...v.values()].reduce((s, w) => s + w * w, 0));
  return dot / (norm(a) * norm(b));
}

export function suggest(
  latestCustomerText: string,
  quickReplies: readonly QuickReply[],
  articles: readonly KnowledgeArticle[],
  options: SuggestOptions = {},
): Suggestion[] {
  const { perKind = 3, minScore = 0.1 } = options;
  const queryTf = termFrequencies(tokenize(latestCustomerText));
  if (queryTf.size === 0) return [];

  const docs = [
    ...quickReplies.map((item) => ({ kind: 'quick-reply' as const, item, tf: termFrequencies(quickReplyTerms(item)) })),
    ...articles.map((item) => ({ kind: 'article' as const, item, tf: termFrequencies(articleTerms(item)) })),
  ];
  // Smoothed IDF: a term in every candidate still counts a little, one in few counts most.
  const df: Vector = new Map();
  for (const d of docs) for (const t of d.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const idf: Vector = new Map();
  for (const t of new Set([...df.keys(), ...queryTf.keys()])) {
    idf.set(t, Math.log((docs.length + 1) / ((df.get(t) ?? 0) + 1)) + 1);
  }
  const query = weigh(queryTf, idf);

  const scored = docs
    .map((d) => {
      const score = Math.round(cosine(query, weigh(d.tf, idf)) * 1000) / 1000;
      const matched = [...queryTf.keys()].filter((t) => d.tf.has(t));
      return { ...d, score, matched };
    })
    .filter((d) => d.score >= minScore)
    .sort((a, b) => b.score - a.score);

  const pick = (kind: Suggestion['kind']) => scored.filter((d) => d.kind === kind).slice(0, perKind);
  return [...pick('quick-reply'), ...pick('article')]
    .sort((a, b) => b.score - a.score)
    .map(({ kind, item, score, matched }) => ({ kind, item, score, matched }) as Suggestion);
}
