/**
 * The outbox worker reports what Twilio said to a send: sent (with its sid), retry later,
 * or failed for good. Status callbacks parked while the send was in flight apply now, in order.
 * True when its listeners were told something (a status moved, the free entry point opened);
 * usually not, for a sent one: Twilio's answer says `queued`, which it is already, and its
 * `sent` callback often lands first. A sent result carries the error Twilio recorded, if any (a
 * send found already failed by the in-doubt check).
 */
import type { SendResultRecord } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { advanceStatus } from './message-status.ts';
import { openFreeEntry } from './open-free-entry.ts';

export function recordSendResult(db: Database, messageId: string, result: SendResultRecord, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    // The sid lock first, then the row, in the same order as apply-status.
    if (result.kind === 'sent') await tx.lockSid(result.sid);
    const message = await tx.getMessage(messageId, true);
    if (!message) return false;
    if (result.kind === 'retry') {
      // An ambiguous attempt may have reached Twilio: keep its in-flight mark, so the next one checks first.
      await tx.retryLater(messageId, result.nextAttemptAt, result.ambiguous);
      return false;
    }
    await tx.dequeue(messageId);
    if (result.kind === 'failed') return (await advanceStatus(tx, message, 'failed', result.code, result.message, now)) !== null;
    if (!message.twilioSid) await tx.setTwilioSid(messageId, result.sid);
    // Twilio took it: the reply may open the free entry point even while its status stays `queued`.
    const conversation = (await tx.getConversation(message.conversationId))!;
    let told = (await openFreeEntry(tx, conversation, message, result.status)).length > 0;
    let current = message;
    for (const parked of [{ status: result.status, errorCode: result.errorCode ?? null, errorMessage: result.errorMessage ?? null }, ...(await tx.takeParkedStatuses(result.sid))]) {
      if (await advanceStatus(tx, current, parked.status, parked.errorCode, parked.errorMessage, now)) {
        current = (await tx.getMessage(messageId))!;
        told = true;
      }
    }
    return told;
  });
}
