import { requireActionable } from "./conversation-access.js";
import { emitConversation } from "./emit-conversation.js";
export function linkRecord(db, conversationId, viewer, record, now) {
    return db.transaction(async (tx) => {
        await requireActionable(tx, conversationId, viewer);
        const linked = await tx.updateConversation(conversationId, { linkedRecord: record }, now);
        emitConversation(tx, linked);
        return linked;
    });
}
//# sourceMappingURL=link-record.js.map