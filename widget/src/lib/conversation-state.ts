import { msg } from '@lit/localize';
import type { ConversationState, Presence } from '@wcp/protocol';

/** The relay's own transition table: a state change the panel offers is one the relay accepts. */
export { canTransition } from '@wcp/protocol/states';

/** Omnichannel's name for a conversation state, in the panel's language (the state itself when unknown). */
export function stateLabel(state: ConversationState | string): string {
  switch (state) {
    case 'open':
      return msg('Open', { id: 'state-open', desc: 'Conversation state' });
    case 'active':
      return msg('Active');
    case 'waiting':
      return msg('Waiting');
    case 'wrapup':
      return msg('Wrap-up');
    case 'closed':
      return msg('Closed');
    default:
      return state;
  }
}

/** The agent's presence, in the panel's language. */
export function presenceLabel(presence: Presence): string {
  switch (presence) {
    case 'available':
      return msg('Available');
    case 'busy':
      return msg('Busy');
    case 'dnd':
      return msg('Do not disturb');
    case 'away':
      return msg('Away');
    case 'offline':
      return msg('Offline');
  }
}
