/** Conversation states and the transitions an agent may make (Omnichannel's lifecycle). */
import type { ConversationState } from '../protocol/index.ts';

const TRANSITIONS: Record<ConversationState, readonly ConversationState[]> = {
  open: ['active'],
  active: ['waiting', 'wrapup'],
  waiting: ['active', 'wrapup'],
  wrapup: ['closed'],
  closed: [],
};

export function canTransition(from: ConversationState, to: ConversationState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function allowedNextStates(from: ConversationState): readonly ConversationState[] {
  return TRANSITIONS[from];
}

/** States in which a conversation counts against an agent's capacity. */
export const ASSIGNED_STATES: readonly ConversationState[] = ['active', 'waiting', 'wrapup'];
