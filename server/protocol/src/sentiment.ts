/**
 * Customer sentiment on Dynamics 365 Omnichannel's seven-point scale. The relay scores each
 * inbound message once with the AFINN-165 lexicon (server/src/sentiment/score.ts) — the
 * lexicon stays out of the bundle; this aggregates those figures. Pure: messages in, label out.
 */
import type { Message, MessageSentiment } from './index.ts';

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

export type SentimentTrend = 'improving' | 'worsening' | 'steady';

export interface SentimentResult {
  /** The current level (recency-weighted), one of SENTIMENT_LABELS. */
  label: SentimentLabel;
  /** Recency-weighted intensity, roughly -5 (very negative) to +5 (very positive). */
  score: number;
  /** How many of the messages carried sentiment words; 0 means "nothing to go on" (neutral). */
  basis: number;
  /** The latest message against the conversation before it. */
  trend: SentimentTrend;
  /** Lowest and highest single-message levels over the whole conversation. */
  range: { lowest: SentimentLabel; highest: SentimentLabel };
}

/** Messages further back than this do not move the current sentiment. */
const MAX_MESSAGES = 10;
/** Half-life 1.5 messages: the latest message outweighs the two before it together (1 > 0.63 + 0.40), so a thank-you after a complaint reads as the current mood; trend and range keep the complaint. */
const DECAY = 0.5 ** (1 / 1.5);
/** The score must move at least one label band (0.8) for the trend to be more than steady. */
const TREND_STEP = 0.8;
/** A message without sentiment words ("order 1234") pulls towards neutral, but gently. */
const NEUTRAL_WEIGHT = 0.3;

/**
 * Upper bounds of each label's score range, from very negative up; above the last is very positive.
 * Tuned on support-chat sentences (see sentiment.test.ts): one mild word ("ok", "thanks") in a
 * sentence is "slightly", one strong word or two mild ones is the full label, several strong
 * ones is "very".
 */
const THRESHOLDS: readonly number[] = [-2.6, -1.2, -0.4, 0.4, 1.2, 2.6];

/** Short messages count as if four words long, so "ok thanks" stays only slightly positive. */
const MIN_LENGTH = 4;

type ScoredMessage = Pick<Message, 'direction' | 'body' | 'sentiment'>;

/**
 * Intensity of one message: its lexicon sum damped by length, so a long complaint with one
 * "thanks" stays near neutral while a short "terrible!!" counts fully.
 */
function intensity({ score, tokens }: MessageSentiment): { value: number; scored: boolean } {
  if (score === 0) return { value: 0, scored: false };
  return { value: score / Math.sqrt(Math.max(tokens, MIN_LENGTH)), scored: true };
}

/** Recency-weighted mean of per-message intensities (the newest weighs most). */
function weightedScore(figures: readonly MessageSentiment[]): { score: number; basis: number } {
  let weighted = 0;
  let totalWeight = 0;
  let basis = 0;
  figures.forEach((f, index) => {
    const age = figures.length - 1 - index;
    const { value, scored } = intensity(f);
    const weight = DECAY ** age * (scored ? 1 : NEUTRAL_WEIGHT);
    weighted += value * weight;
    totalWeight += weight;
    if (scored) basis += 1;
  });
  return { score: totalWeight === 0 ? 0 : Math.round((weighted / totalWeight) * 100) / 100, basis };
}

/**
 * The one sentiment rule: level, trend and range of the customer's messages.
 * @param messages the conversation's messages, oldest first; only the customer's (inbound)
 *   messages with text and the relay's figures count, and the newest weighs most.
 */
export function aggregateSentiment(messages: readonly ScoredMessage[]): SentimentResult {
  const all = messages.flatMap((m) =>
    m.direction === 'inbound' && m.body.trim() !== '' && m.sentiment ? [m.sentiment] : [],
  );
  const recent = all.slice(-MAX_MESSAGES);
  const { score, basis } = weightedScore(recent);
  const before = weightedScore(all.slice(-MAX_MESSAGES - 1, -1));
  const change = recent.length < 2 ? 0 : score - before.score;
  const trend: SentimentTrend = change >= TREND_STEP ? 'improving' : change <= -TREND_STEP ? 'worsening' : 'steady';
  const levels = all.map((f) => SENTIMENT_LABELS.indexOf(labelFor(intensity(f).value)));
  const label = labelFor(score);
  const range =
    levels.length === 0
      ? { lowest: label, highest: label }
      : {
          lowest: SENTIMENT_LABELS[Math.min(...levels)] as SentimentLabel,
          highest: SENTIMENT_LABELS[Math.max(...levels)] as SentimentLabel,
        };
  return { label, score, basis, trend, range };
}

export function labelFor(score: number): SentimentLabel {
  const index = THRESHOLDS.findIndex((upper) => score < upper);
  return SENTIMENT_LABELS[index === -1 ? SENTIMENT_LABELS.length - 1 : index] as SentimentLabel;
}
