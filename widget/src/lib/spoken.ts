import { msg } from '@lit/localize';

/**
 * The language's comma between the parts of a name a screen reader reads as one line: a
 * conversation tab ("Bo Chen, Waiting, 3 unread, 30 min left"), a search hit ("Oliver,
 * +447700900123, …"). Rendered in a `.spoken` span (styles/tokens.styles.ts), never shown.
 */
export const spokenComma = () => msg(', ', { desc: 'Between the parts of a name read by screen readers as one line (a conversation tab: customer, state, unread count, time left; a search hit: customer, number, time)' });
