import { msg } from '@lit/localize';

/**
 * The language's comma between the parts of a line (Arabic's "، "): a conversation tab's name
 * for screen readers ("Bo Chen, Waiting, 3 unread, 30 min left", in `.spoken` spans,
 * styles/tokens.styles.ts), a search hit's, a template's, and the sentiment's label and trend.
 */
export const languageComma = () =>
  msg(', ', { desc: 'Between the parts of a line: a conversation tab’s customer, state, unread count and time left (read by screen readers); a search hit’s customer, number and time; the sentiment’s label and trend' });
