import { advanceStatus } from "./message-status.js";
export function recordSendResult(db, messageId, result, now) {
    return db.transaction(async (tx) => {
        // The sid lock first, then the row, in the same order as apply-status.
        if (result.kind === 'sent')
            await tx.lockSid(result.sid);
        const message = await tx.getMessage(messageId, true);
        if (!message)
            return false;
        if (result.kind === 'retry') {
            // An ambiguous attempt may have reached Twilio: keep its in-flight mark, so the next one checks first.
            await tx.retryLater(messageId, result.nextAttemptAt, result.ambiguous);
            return false;
        }
        await tx.dequeue(messageId);
        if (result.kind === 'failed')
            return (await advanceStatus(tx, message, 'failed', result.code, result.message, now)) !== null;
        if (!message.twilioSid)
            await tx.setTwilioSid(messageId, result.sid);
        let current = message;
        let moved = false;
        for (const parked of [{ status: result.status, errorCode: null, errorMessage: null }, ...(await tx.takeParkedStatuses(result.sid))]) {
            if (await advanceStatus(tx, current, parked.status, parked.errorCode, parked.errorMessage, now)) {
                current = (await tx.getMessage(messageId));
                moved = true;
            }
        }
        return moved;
    });
}
//# sourceMappingURL=record-send-result.js.map