/**
 * The outbox worker reports what Twilio said to a send: sent (with its sid), retry later,
 * or failed for good. Status callbacks parked while the send was in flight apply now, in order.
 */
import type { SendResultRecord } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { advanceStatus } from './message-status.ts';

export function recordSendResult(db: Database, messageId: string, result: SendResultRecord, now: number): Promise<void> {
  return db.transaction(async (tx) => {
    // The sid lock first, then the row, in the same order as apply-status.
    if (result.kind === 'sent') await tx.lockSid(result.sid);
    const message = await tx.getMessage(messageId, true);
    if (!message) return;
    if (result.kind === 'retry') {
      // An ambiguous attempt may have reached Twilio: keep its in-flight mark, so the next one checks first.
      await tx.retryLater(messageId, result.nextAttemptAt, result.ambiguous);
      return;
    }
    await tx.dequeue(messageId);
    if (result.kind === 'failed') {
      await advanceStatus(tx, message, 'failed', result.code, result.message, now);
      return;
    }
    if (!message.twilioSid) await tx.setTwilioSid(messageId, result.sid);
    let current = message;
    for (const parked of [{ status: result.status, errorCode: null, errorMessage: null }, ...(await tx.takeParkedStatuses(result.sid))]) {
      if (await advanceStatus(tx, current, parked.status, parked.errorCode, parked.errorMessage, now)) current = (await tx.getMessage(messageId))!;
    }
  });
}
