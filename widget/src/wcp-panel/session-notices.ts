import { msg, str } from '@lit/localize';
import type { RelayEvent } from '@wcp/protocol';
import { canTransition } from '@wcp/protocol/states';
import { AUTO_CLOSED_DISPOSITION } from '@wcp/protocol/values';
import { dispositionLabel } from '../lib/dispositions.js';
import { displayName, type PanelState } from '../state/panel-store.js';

/**
 * What the agent is told when something happens to a session of theirs that they did not do and
 * could miss: the tab goes away with a `state` event (closed by itself, handed over by someone
 * else), so the panel says why; or the customer writes while the agent is busy with the wrap-up
 * form. Closes by a person have their own line (`lastClosed` in the store), a supervisor's force
 * close an alert besides; a transfer the agent made is not news to them.
 */

/**
 * When one of their sessions closed itself (AUTO_CLOSE_AFTER with no customer message, or
 * WRAP_UP_CLOSE_AFTER left in wrap-up): its tab goes away with the `state` event, so the panel
 * says why — a wrap-up as such, since the agent closes those themselves and may be back for it.
 * Null for any other event, or a conversation that was not one of the agent's sessions.
 */
export function autoCloseNotice(before: PanelState, event: RelayEvent): string | null {
  if (event.type !== 'state') return null;
  const { conversation } = event.data;
  if (conversation.state !== 'closed' || conversation.disposition !== AUTO_CLOSED_DISPOSITION) return null;
  const session = before.sessions.find((s) => s.id === conversation.id);
  if (!session) return null;
  const name = displayName(before, session);
  if (session.state === 'wrapup') return msg(str`The wrap-up of your conversation with ${name} closed by itself (auto-closed): it was not closed in time.`);
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

/**
 * A supervisor closed one of the agent's sessions (a force close): a close from a state the
 * agent cannot close from (@wcp/protocol/states: only wrap-up) is someone else's, and the
 * tab would vanish mid-reply with only the polite "closed" line. Null for any other event, a
 * close from wrap-up (the agent's own, usually) or a close by itself (autoCloseNotice).
 */
export function forceClosedNotice(before: PanelState, event: RelayEvent): string | null {
  if (event.type !== 'state') return null;
  const { conversation } = event.data;
  if (conversation.state !== 'closed' || conversation.disposition === AUTO_CLOSED_DISPOSITION) return null;
  const session = before.sessions.find((s) => s.id === conversation.id);
  if (!session || !before.agent || session.assignedAgentId !== before.agent.id || canTransition(session.state, 'closed')) return null;
  const name = displayName(before, session);
  return msg(str`A supervisor closed your conversation with ${name} (${dispositionLabel(conversation.disposition ?? '', before.dispositions)}).`);
}

/** What the agent is told of a relay event about one of their sessions, or null (the functions above, in turn). */
export function sessionNotice(before: PanelState, event: RelayEvent): string | null {
  return autoCloseNotice(before, event) ?? handedOverNotice(before, event) ?? forceClosedNotice(before, event);
}
