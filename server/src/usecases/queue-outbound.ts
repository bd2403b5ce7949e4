/**
 * An agent's reply is queued: stored with its outbox entry in one transaction (the outbox
 * worker sends it), once per clientId — the panel's outbox resends with the same one; never
 * to a customer who opted out. The
 * window and the conversation's state are checked by the caller before (routes/api/messages.ts).
 *
 * When the caller's outbox worker is running (`claimForSending`), the same transaction also
 * claims the reply by the outbox's one claim rule (claim-outbox.ts): the agent's tick then
 * waits for one commit, not two, and nothing else changes — lease, in-doubt check after a
 * crash, per-sender pacing shared by every instance, order within the sender.
 */
import { toApiMessage } from '../api-mapping.ts';
import { assertMayReply, listenersOf } from '../domain/conversation-rules.ts';
import { assertMayMessage } from '../domain/consent.ts';
import { DomainError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import type { MediaRef, OutboundRecord, QueuedOutbound, StoredEvent } from '../store/port.ts';
import { MAX_CLAIM_PER_SENDER } from '../outbox/pacing.ts';
import { claimDue } from './claim-outbox.ts';
import type { Database, Tx } from '../store/tx.ts';
import { requireConversation } from './conversation-access.ts';
import { renewPublicLinks } from './public-media-link.ts';

/** The agent's upload, now in this conversation; refused with what the agent can do about it. */
async function attachUpload(tx: Tx, mediaId: string, agentId: string, conversationId: string): Promise<MediaRef> {
  const attached = await tx.attachUpload(mediaId, agentId, conversationId);
  if (attached) return attached;
  const upload = await tx.getMedia(mediaId);
  // Another agent's upload is "not found", as their conversations are.
  if (upload?.uploadedBy === agentId && upload.conversationId !== null) {
    throw new DomainError('media_already_sent', 'This file was already sent in another conversation; upload it again to send it here.');
  }
  throw new DomainError('media_not_found', 'The attachment was not found; upload it again.');
}

export function queueOutbound(db: Database, record: OutboundRecord): Promise<QueuedOutbound> {
  return db.transaction(async (tx) => {
    // A resend racing its original loses on the unique (agent, clientId): run again, it lands here.
    if (record.clientId) {
      const first = await tx.findClientMessage(record.agentId, record.clientId);
      if (first) return { message: first, duplicate: true, claimed: [] };
    }
    // Not locked: replies and inbound messages of one conversation need no order between them.
    const conversation = await requireConversation(tx, record.conversationId, false);
    // The route checked both; again here, in the transaction that queues (on PostgreSQL the row is
    // not locked, so a close committing at the same instant can still pass).
    assertMayReply(conversation);
    assertMayMessage(conversation);
    const media = record.mediaId ? [await attachUpload(tx, record.mediaId, record.agentId, record.conversationId)] : [];
    await renewPublicLinks(tx, media, record.now);
    const message = await tx.insertOutbound({
      id: newId('msg'),
      conversationId: record.conversationId,
      agentId: record.agentId,
      body: record.body,
      media,
      template: record.template,
      replyToId: record.replyToId,
      clientId: record.clientId,
      createdAt: record.now,
      whatsapp: record.buttons?.length ? { buttons: record.buttons } : null,
    });
    await tx.enqueue(message.id, record.sender, conversation.customerPhone, record.now);
    // An ad conversation's free entry clock starts only once Twilio took a reply (open-free-entry.ts), not here.
    const events: (StoredEvent | null)[] = [];
    for (const agentId of listenersOf(conversation)) events.push(tx.emit('message', agentId, { conversationId: conversation.id, message: toApiMessage(message) }));
    // This sender's due sends, this one last (nothing jumps the queue); none when its slots are a second ahead.
    const claimed = record.claimForSending ? await claimDue(tx, record.now, MAX_CLAIM_PER_SENDER, record.sender) : [];
    const known = events.filter((e) => e !== null);
    return { message, duplicate: false, claimed, ...(known.length === events.length ? { events: known } : {}) };
  });
}
