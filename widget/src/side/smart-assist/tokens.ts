/**
 * Words that say what a message is about: lower-cased, accents folded, English stop words
 * dropped and a light suffix stemming ("refunds", "refunded" → "refund"), so
 * "my parcels arrived damaged" and "Damaged parcel" share terms.
 */
import { fold } from '../../lib/fold.js';

const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below
  between both but by can could did do does doing down during each few for from further had has have
  having he her here hers herself him himself his how i if in into is it its itself just let me more
  most my myself no nor not now of off on once only or other our ours ourselves out over own same she
  should so some such than that the their theirs them themselves then there these they this those
  through to too under until up very was we were what when where which while who whom why will with
  would you your yours yourself yourselves hi hello hey thanks thank please ok okay yes yet still also
  get got im ive dont cant wont didnt isnt hasnt havent been one two us our want would like need know`
    .split(/\s+/)
    .filter(Boolean),
);

/** Not a real stemmer: just enough that plural, past and -ing forms meet ("damaged", "damage"). */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && /(ies|ied)$/.test(w)) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w.length > 4 && w.endsWith('e') ? w.slice(0, -1) : w;
}

/** Lower-cased words without accents and stop words, not stemmed. */
export function words(text: string): string[] {
  return fold(text)
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word));
}

export function tokenize(text: string): string[] {
  return words(text).map(stem);
}

/**
 * The distinct words of a text, unstemmed so a CRM full-text search understands them: the
 * query the side pane raises for smart-assist articles.
 */
export function keywords(text: string, max = 8): string[] {
  return [...new Set(words(text))].slice(0, max);
}
