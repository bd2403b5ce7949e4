/**
 * A customer's WhatsApp message arrives (Twilio's inbound webhook): stored once per
 * MessageSid in the customer's open conversation or a new one, the window re-opened, and
 * the agent told; a STOP or START keyword changes the customer's consent. Webhooks arriving together share one commit (Database.grouped).
 */
import { apiWindowExpiresAt, toApiMessage } from '../api-mapping.ts';
import { consentChangeOf } from '../domain/consent.ts';
import { listenersOf } from '../domain/conversation-rules.ts';
import { newId } from '../domain/ids.ts';
import type { InboundReceipt, InboundRecord, InboundResult, StoredEvent } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { recordConsent } from './record-consent.ts';

/** What of a stored inbound message the webhook route reads (InboundReceipt). */
export function inboundReceipt(result: InboundResult): InboundReceipt {
  const { duplicate, opened, conversation, message, events } = result;
  const resumes = !duplicate && conversation.state === 'waiting';
  const reEngages = conversation.optedOut;
  return { duplicate, opened, conversationId: conversation.id, queueId: conversation.queueId, resumes, messageId: message.id, reEngages, ...(events ? { events } : {}) };
}

/** `committed`: the result as soon as it is visible, before it is durable (Database.grouped). */
export function receiveInbound(db: Database, inbound: InboundRecord, committed?: (result: InboundResult) => void): Promise<InboundResult> {
  // Drawn before the unit runs: a unit run again (a lost race) writes the same rows.
  const ids = { conversationId: newId('cv'), messageId: newId('msg'), mediaIds: inbound.media.map(() => newId('med')) };
  // Row-lock order inside a group: inbound messages by business and customer number.
  // A STOP or START keyword changes the customer's consent: more than the one statement.
  const consent = consentChangeOf(inbound.body);
  return db.grouped(`i\u0000${inbound.to}\u0000${inbound.from}`, consent === null, async (tx) => {
    const stored = await tx.storeInbound(inbound, ids);
    if (stored.duplicate) return { duplicate: true, conversation: stored.conversation, message: stored.message, opened: false };
    const { message } = stored;
    let conversation = stored.conversation;
    // One wire form for every listener: the events differ only in their audience. The message
    // carries the window it re-opened: one row, streamed as `message` and `window` (events/sse-frames.ts).
    const data = { conversationId: conversation.id, message: toApiMessage(message), windowExpiresAt: apiWindowExpiresAt(conversation) };
    const events: StoredEvent[] = listenersOf(conversation).map((audience) => tx.emit('message', audience, data));
    if (consent) {
      const changed = await recordConsent(tx, conversation, consent, message.id, inbound.receivedAt);
      conversation = changed.conversation;
      events.push(...changed.events);
    }
    return { duplicate: false, conversation, message, opened: stored.opened, events } satisfies InboundResult;
  }, committed);
}
