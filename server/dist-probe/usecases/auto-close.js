/** Conversations left waiting with no customer message for AUTO_CLOSE_AFTER close themselves (disposition auto-closed). */
import { autoCloseDue } from "../domain/conversation-rules.js";
import { AUTO_CLOSED } from "../domain/dispositions.js";
import { closeConversation } from "./change-state.js";
export function autoClose(db, afterMs, now) {
    return db.transaction(async (tx) => {
        // Locked: a customer's message committing first moves the row out of the pass.
        const idle = (await tx.listIdleWaiting(now - afterMs)).filter((c) => autoCloseDue(c, now, afterMs));
        const closed = [];
        for (const c of idle)
            closed.push(await closeConversation(tx, c, { disposition: AUTO_CLOSED, summary: null }, now));
        return closed;
    });
}
//# sourceMappingURL=auto-close.js.map