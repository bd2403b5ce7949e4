/**
 * Conversation states and the transitions an agent may make (Omnichannel's lifecycle).
 * Runtime-free apart from this table, so the panel imports it too
 * (`@wcp/protocol/states`): it enables exactly the changes the relay accepts.
 */
import type { ConversationState } from './index.ts';

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

/**
 * Whether a conversation may go to another agent (a transfer, a supervisor's assignment): not
 * once the customer's side is over. A wrap-up stays with its agent until it is closed.
 */
export function canHandOver(state: ConversationState): boolean {
  return state !== 'wrapup' && state !== 'closed';
}

/**
 * Whether the agent may write to the customer (a reply, a template, a retried reply): only in an
 * accepted conversation whose customer side is not over. Once the agent has ended it (wrap-up)
 * the customer's next message opens a new conversation, which is where the answer belongs.
 */
export function mayWriteToCustomer(state: ConversationState): boolean {
  return state === 'active' || state === 'waiting';
}
