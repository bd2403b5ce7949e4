/** An agent links their conversation to a CRM record (contact, account, case), or unlinks it. */
import type { RecordRef } from '@wcp/protocol';
import type { ConversationRow, Viewer } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { requireActionable } from './conversation-access.ts';
import { emitConversation } from './emit-conversation.ts';

export function linkRecord(db: Database, conversationId: string, viewer: Viewer, record: RecordRef | null, now: number): Promise<ConversationRow> {
  return db.transaction(async (tx) => {
    await requireActionable(tx, conversationId, viewer, now);
    const linked = await tx.updateConversation(conversationId, { linkedRecord: record }, now);
    emitConversation(tx, linked);
    return linked;
  });
}
