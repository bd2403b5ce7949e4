/**
 * A customer WhatsApp refused delivery to because they had blocked the business (Twilio 63014)
 * writes again: they unblocked it, and their agent may answer (domain/consent.ts
 * consentChangeOfReturn). Run after the message is stored, in a transaction of its own, as
 * resume-conversation.ts is: the inbound webhook's unit stays one statement. It is asked again
 * for a redelivered message (the relay stopped before answering Twilio), so a crash in between
 * loses nothing.
 */
import { consentChangeOfReturn } from '../domain/consent.ts';
import type { Database } from '../store/tx.ts';
import { recordConsent } from './record-consent.ts';

/** True when the customer's consent changed back. */
export function reEngage(db: Database, conversationId: string, messageId: string, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const conversation = await tx.getConversation(conversationId, true);
    const message = await tx.getMessage(messageId);
    if (!conversation?.optedOut || !message) return false;
    const latest = (await tx.consentLog(conversation.customerPhone, conversation.businessPhone)).at(-1) ?? null;
    const change = consentChangeOfReturn(latest, message.createdAt);
    if (!change) return false;
    await recordConsent(tx, conversation, change, message.id, now);
    return true;
  });
}
