/**
 * Twilio reports a message's delivery status (status callback). Forward-only; a callback
 * for a sid not recorded yet (it raced ahead of the send's result) is parked and applied
 * when the result is recorded (record-send-result.ts).
 */
import type { StatusResult, StatusUpdate } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { advanceStatus } from './message-status.ts';

/** `committed`: the result as soon as it is visible, before it is durable (Database.grouped). */
export function applyStatus(db: Database, update: StatusUpdate, committed?: (result: StatusResult) => void): Promise<StatusResult> {
  // Row-lock order inside a group: status callbacks by MessageSid, after inbound messages.
  return db.grouped(`s\u0000${update.messageSid}`, false, async (tx) => {
    // Serialized with record-send-result for this sid: a callback is either parked before
    // the result reads the parked ones, or finds the sid after it.
    await tx.lockSid(update.messageSid);
    let message = await tx.findMessageBySid(update.messageSid, true);
    if (!message && update.messageId) {
      // The callback names our message: Twilio has it even though the send result was
      // never recorded (the process stopped mid-send). Adopt the sid; do not resend.
      const mine = await tx.getMessage(update.messageId, true);
      if (mine && mine.direction === 'outbound' && mine.twilioSid === null) {
        await tx.setTwilioSid(mine.id, update.messageSid);
        await tx.dequeue(mine.id);
        message = { ...mine, twilioSid: update.messageSid };
      }
    }
    if (!message) {
      await tx.parkStatus(update.messageSid, update, update.now);
      return { applied: false, parked: true };
    }
    // Delivery statuses belong to what the business sent: a callback naming a customer's message
    // (misrouted, or a Messaging Service's) must not mark what the customer wrote "Not delivered".
    if (message.direction !== 'outbound') return { applied: false, parked: false };
    const events = await advanceStatus(tx, message, update.status, update.errorCode, update.errorMessage, update.now);
    if (!events) return { applied: false, parked: false };
    return { applied: true, parked: false, events } satisfies StatusResult;
  }, committed);
}
