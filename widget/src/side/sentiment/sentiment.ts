/**
 * Customer sentiment on Dynamics 365 Omnichannel's seven-point scale, from the AFINN-165
 * lexicon (with negation and emoji) of the `sentiment` package. Pure: texts in, label out.
 */
import Sentiment from 'sentiment';

export const SENTIMENT_LABELS = [
  'very negative',
  'negative',
  'slightly negative',
  'neutral',
  'slightly positive',
  'positive',
  'very positive',
] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

export interface SentimentResult {
  label: SentimentLabel;
  /** Recency-weighted intensity, roughly -5 (very negative) to +5 (very positive). */
  score: number;
  /** How many of the texts carried sentiment words; 0 means "nothing to go on" (neutral). */
  basis: number;
}

/** Messages further back than this do not move the current sentiment. */
const MAX_MESSAGES = 10;
/** Each older message counts this much less than the next newer one. */
const DECAY = 0.6;
/** A message without sentiment words ("order 1234") pulls towards neutral, but gently. */
const NEUTRAL_WEIGHT = 0.3;

/**
 * Upper bounds of each label's score range, from very negative up; above the last is very positive.
 * Tuned on support-chat sentences (see sentiment.test.ts): one mild word ("ok", "thanks") in a
 * sentence is "slightly", one strong word or two mild ones is the full label, several strong
 * ones is "very".
 */
const THRESHOLDS: readonly number[] = [-2.6, -1.2, -0.4, 0.4, 1.2, 2.6];

/**
 * AFINN words that are not sentiment in a support chat: "I would like…", "can you help…",
 * "please", "I want a refund" are requests, not praise.
 */
const SUPPORT_CHAT_EXTRAS: Record<string, number> = { like: 0, help: 0, please: 0, want: 0 };
/** Short messages count as if four words long, so "ok thanks" stays only slightly positive. */
const MIN_LENGTH = 4;

const analyzer = new Sentiment();

/**
 * Intensity of one message: its AFINN sum damped by length, so a long complaint with one
 * "thanks" stays near neutral while a short "terrible!!" counts fully.
 */
function intensity(text: string): { value: number; scored: boolean } {
  const { score, tokens } = analyzer.analyze(text, { extras: SUPPORT_CHAT_EXTRAS });
  if (score === 0) return { value: 0, scored: false };
  return { value: score / Math.sqrt(Math.max(tokens.length, MIN_LENGTH)), scored: true };
}

/**
 * @param texts the customer's (inbound) messages, oldest first; the newest weighs most.
 */
export function scoreSentiment(texts: readonly string[]): SentimentResult {
  const recent = texts.filter((t) => t.trim() !== '').slice(-MAX_MESSAGES);
  let weighted = 0;
  let totalWeight = 0;
  let basis = 0;
  recent.forEach((text, index) => {
    const age = recent.length - 1 - index;
    const { value, scored } = intensity(text);
    const weight = DECAY ** age * (scored ? 1 : NEUTRAL_WEIGHT);
    weighted += value * weight;
    totalWeight += weight;
    if (scored) basis += 1;
  });
  const score = totalWeight === 0 ? 0 : Math.round((weighted / totalWeight) * 100) / 100;
  return { label: labelFor(score), score, basis };
}

export function labelFor(score: number): SentimentLabel {
  const index = THRESHOLDS.findIndex((upper) => score < upper);
  return SENTIMENT_LABELS[index === -1 ? SENTIMENT_LABELS.length - 1 : index] as SentimentLabel;
}
