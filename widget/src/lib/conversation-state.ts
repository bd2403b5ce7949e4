import type { ConversationState, Presence } from '@wcp/protocol';

/** The relay's own transition table: a state change the panel offers is one the relay accepts. */
export { canTransition } from '@wcp/protocol/states';

export const STATE_LABELS: Readonly<Record<ConversationState, string>> = {
  open: 'Open',
  active: 'Active',
  waiting: 'Waiting',
  wrapup: 'Wrap-up',
  closed: 'Closed',
};

export const PRESENCE_LABELS: Readonly<Record<Presence, string>> = {
  available: 'Available',
  busy: 'Busy',
  dnd: 'Do not disturb',
  away: 'Away',
  offline: 'Offline',
};
