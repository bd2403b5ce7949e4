import { msg, str } from '@lit/localize';
import type { RelayEvent } from '@wcp/protocol';
import { AUTO_CLOSED_DISPOSITION } from '@wcp/protocol/values';
import { displayName, type PanelState } from '../state/panel-store.js';

/**
 * What the agent is told when a session leaves their tabs without them doing it: the tab goes
 * away with the `state` event, so the panel says why. Closes by a person have their own line
 * (`lastClosed` in the store); a transfer the agent made is not news to them.
 */

/**
 * When one of their sessions closed itself (AUTO_CLOSE_AFTER with no
 * customer message): its tab goes away with the `state` event, so the panel says why.
 * Null for any other event, or a conversation that was not one of the agent's sessions.
 */
export function autoCloseNotice(before: PanelState, event: RelayEvent): string | null {
  if (event.type !== 'state') return null;
  const { conversation } = event.data;
  if (conversation.state !== 'closed' || conversation.disposition !== AUTO_CLOSED_DISPOSITION) return null;
  const session = before.sessions.find((s) => s.id === conversation.id);
  if (!session) return null;
  const name = displayName(before, session);
  return msg(str`The conversation with ${name} was closed (auto-closed): no message from the customer while it was waiting.`);
}

/**
 * What the agent is told when someone else (a supervisor, or the agent in another tab) handed
 * one of their sessions over to a colleague or a queue: without it the tab just vanishes
 * mid-reply. Null for any other event, or a transfer this agent made.
 */
export function handedOverNotice(before: PanelState, event: RelayEvent): string | null {
  if (event.type !== 'state') return null;
  const { conversation } = event.data;
  const agentId = before.agent?.id;
  const session = before.sessions.find((s) => s.id === conversation.id);
  // Handed over: back to open, no longer assigned to this agent (hand-over.ts on the relay).
  if (!session || !agentId || session.assignedAgentId !== agentId || conversation.state !== 'open' || conversation.assignedAgentId === agentId) return null;
  const name = displayName(before, session);
  const from = conversation.transfer;
  if (from?.fromAgentId === agentId) return null;
  return from
    ? msg(str`${from.fromAgentName} transferred your conversation with ${name} to another agent or queue.`)
    : msg(str`Your conversation with ${name} was handed over to another agent or queue.`);
}
