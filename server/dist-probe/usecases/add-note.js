/** An agent writes a note on their conversation, or one it consults on (internal: the customer never sees it). */
import { toApiNote } from "../api-mapping.js";
import { listenersOf } from "../domain/conversation-rules.js";
import { newId } from "../domain/ids.js";
import { requireActionable } from "./conversation-access.js";
export function addNote(db, conversationId, viewer, body, now) {
    return db.transaction(async (tx) => {
        const c = await requireActionable(tx, conversationId, viewer, true); // a consultant adds notes too
        const note = await tx.insertNote({ id: newId('nt'), conversationId, agentId: viewer.agentId, agentName: viewer.agentName, body, createdAt: now });
        for (const agentId of listenersOf(c))
            tx.emit('note', agentId, { conversationId, note: toApiNote(note) });
        return note;
    });
}
//# sourceMappingURL=add-note.js.map