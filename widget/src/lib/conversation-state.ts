import { msg, str } from '@lit/localize';
import type { ConversationState, Presence } from '@wcp/protocol';
import { ROUTABLE_PRESENCES } from './protocol-values.js';

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

/**
 * What the panel says with no conversation to show. An agent whose presence takes no offers
 * (Do not disturb, Away, Offline — the router's rule) is told so: otherwise, just signed in
 * Offline, they would wait at "appear here" beside a queue count of customers waiting.
 */
export function noSessionsText(presence: Presence | undefined): string {
  if (!presence || ROUTABLE_PRESENCES.includes(presence)) return msg('No active conversations. New WhatsApp conversations appear here.');
  return msg(str`You are ${presenceLabel(presence)}: no new conversations are offered to you. Choose Available under Presence to receive them.`);
}
