/**
 * Per-message sentiment from the AFINN-165 lexicon (with negation and emoji) of the
 * `sentiment` package. Scored once per inbound message at ingest; the panel turns the
 * figures into Omnichannel's seven-point label (widget/src/side/sentiment/sentiment.ts).
 */
import Sentiment from 'sentiment';
/**
 * AFINN words that are not sentiment in a support chat: "I would like…", "can you help…",
 * "please", "I want a refund" are requests, not praise.
 */
const SUPPORT_CHAT_EXTRAS = { like: 0, help: 0, please: 0, want: 0 };
const analyzer = new Sentiment();
/** Pure: text in, figures out. */
export function scoreMessage(text) {
    const { score, comparative, tokens } = analyzer.analyze(text, { extras: SUPPORT_CHAT_EXTRAS });
    return { score, comparative, tokens: tokens.length };
}
//# sourceMappingURL=score.js.map