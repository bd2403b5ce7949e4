import { msg, str } from '@lit/localize';
import type { RelayEvent } from '@wcp/protocol';
import { AUTO_CLOSED_DISPOSITION } from '@wcp/protocol/values';
import { displayName, type PanelState } from '../state/panel-store.js';

/**
 * What the agent is told when one of their sessions closed itself (AUTO_CLOSE_AFTER with no
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
