/**
 * Per-message sentiment from the AFINN-165 lexicon (with negation and emoji) of the
 * `sentiment` package. Scored once per inbound message at ingest; the panel turns the
 * figures into Omnichannel's seven-point label (widget/src/side/sentiment/sentiment.ts).
 *
 * The package's English is tuned here as a language of its own ("support chat"), through its
 * extension points (labels and a scoring strategy), rather than by rewriting its results.
 */
import { createRequire } from 'node:module';
import Sentiment from 'sentiment';
import type { MessageSentiment } from '@wcp/protocol';

const require = createRequire(import.meta.url);
const afinn = require('sentiment/languages/en/labels.json') as Record<string, number>;
const negators = require('sentiment/languages/en/negators.json') as Record<string, number>;

/**
 * AFINN words that are not sentiment in a support chat: "I would like…", "can you help…",
 * "please", "I want a refund" are requests, not praise.
 */
const SUPPORT_CHAT_EXTRAS: Record<string, number> = { like: 0, help: 0, please: 0, want: 0 };

const labels: Record<string, number> = { ...afinn, ...SUPPORT_CHAT_EXTRAS };

/** Words that strengthen the next one without changing its sense: "not very happy" is still "not happy". */
const INTENSIFIERS = new Set(['very', 'really', 'so', 'too', 'that']);

const isComplaintWord = (token: string | undefined) => token !== undefined && token !== 'no' && (labels[token] ?? 0) < 0;

/**
 * "No worries", "no problem", "not a problem" are reassurances: the complaint word is
 * cancelled, not reversed into praise (and "no" itself is not a complaint there).
 */
function isReassured(tokens: string[], cursor: number): boolean {
  if (!isComplaintWord(tokens[cursor])) return false;
  const before = tokens[cursor - 1];
  return before === 'no' || (before === 'a' && tokens[cursor - 2] === 'not');
}

function negatedByWordBefore(tokens: string[], cursor: number): boolean {
  let i = cursor - 1;
  while (i >= 0 && INTENSIFIERS.has(tokens[i]!)) i -= 1;
  return i >= 0 && negators[tokens[i]!] === 1;
}

/** The one place a word's score is adjusted for the words around it. */
function scoreInContext(tokens: string[], cursor: number, tokenScore: number): number {
  if (isReassured(tokens, cursor)) return 0;
  if (tokens[cursor] === 'no' && isReassured(tokens, cursor + 1)) return 0;
  return negatedByWordBefore(tokens, cursor) ? -tokenScore : tokenScore;
}

const SUPPORT_CHAT = 'en-support-chat';
const analyzer = new Sentiment();
analyzer.registerLanguage(SUPPORT_CHAT, { labels, scoringStrategy: { apply: scoreInContext } });

/**
 * The package splits on spaces only and knows emoji by their bare code point, while WhatsApp
 * users write "terrible😡", "😡😡😡" and "👍🏽": each pictograph becomes a word of its own,
 * without the skin tone, presentation selector or joiner that would hide it from the lexicon.
 */
function separateEmoji(text: string): string {
  return text.replace(/(\p{Extended_Pictographic})[\p{Emoji_Modifier}\uFE0F\u200D]*/gu, ' $1 ');
}

/** Pure: text in, figures out. */
export function scoreMessage(text: string): MessageSentiment {
  const { score, comparative, tokens } = analyzer.analyze(separateEmoji(text), { language: SUPPORT_CHAT });
  return { score, comparative, tokens: tokens.length };
}
