/**
 * Per-message sentiment from the AFINN-165 lexicon (with negation and emoji) of the
 * `sentiment` package. Scored once per inbound message at ingest; the panel turns the
 * figures into Omnichannel's seven-point label (widget/src/side/sentiment/sentiment.ts).
 */
import Sentiment from 'sentiment';
import type { MessageSentiment } from '@wcp/protocol';

/**
 * AFINN words that are not sentiment in a support chat: "I would like…", "can you help…",
 * "please", "I want a refund" are requests, not praise.
 */
const SUPPORT_CHAT_EXTRAS: Record<string, number> = { like: 0, help: 0, please: 0, want: 0 };

const analyzer = new Sentiment();

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
  const { score, comparative, tokens } = analyzer.analyze(separateEmoji(text), { extras: SUPPORT_CHAT_EXTRAS });
  return { score, comparative, tokens: tokens.length };
}
