import type { ConversationState, Presence } from '@wcp/server/protocol';

/** The transitions an agent may make (the relay enforces the same and answers 409 otherwise). */
export const NEXT_STATES: Readonly<Record<ConversationState, readonly ConversationState[]>> = {
  open: ['active'],
  active: ['waiting', 'wrapup'],
  waiting: ['active', 'wrapup'],
  wrapup: ['closed'],
  closed: [],
};

export function canTransition(from: ConversationState, to: ConversationState): boolean {
  return NEXT_STATES[from].includes(to);
}

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
