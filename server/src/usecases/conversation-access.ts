/** The conversations a viewer may see, and the one a viewer acts on, inside a unit of work. */
import { DomainError, notFound } from '../domain/errors.ts';
import { actionable } from '../domain/conversation-rules.ts';
import type { ConversationRow, Viewer } from '../store/port.ts';
import type { Tx } from '../store/tx.ts';

/** The conversation, locked until commit, if the viewer may act on it (conversation-rules.ts actionable). */
export async function requireActionable(tx: Tx, id: string, viewer: Viewer, now: number, consultantMay = false): Promise<ConversationRow> {
  return actionable(await tx.getConversation(id, true), viewer, now, consultantMay);
}

/** The conversation, locked until commit unless `forUpdate` is false. */
export async function requireConversation(tx: Tx, id: string, forUpdate = true): Promise<ConversationRow> {
  const c = await tx.getConversation(id, forUpdate);
  if (!c) throw notFound('Conversation');
  return c;
}

export function listVisible(tx: Tx, viewer: Viewer, state: ConversationRow['state'] | null, now: number): Promise<ConversationRow[]> {
  return tx.listConversations(viewer.supervisor ? null : viewer.agentId, state, now, 500);
}

/** A customer's history: an agent may see it once they handle that customer, or while they consult on their conversation. */
export async function customerHistory(tx: Tx, viewer: Viewer, customerPhone: string): Promise<ConversationRow[]> {
  if (!viewer.supervisor && !(await tx.customerKnownTo(customerPhone, viewer.agentId))) return [];
  return tx.listCustomerConversations(customerPhone, 50);
}

/** `before` is an opaque cursor from a previous page's `next`. */
export function parseCursor(before: string | null): number {
  const beforeSeq = before === null ? Number.MAX_SAFE_INTEGER : Number(before);
  if (!Number.isSafeInteger(beforeSeq)) throw new DomainError('invalid_request', 'The cursor is not valid.');
  return beforeSeq;
}
