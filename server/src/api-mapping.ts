/** Domain rows -> the wire protocol's shapes (ISO dates, relay media URLs). */
import { iso, isoOrNull } from './domain/clock.ts';
import type { Conversation, Message, MessageError, Note } from '@wcp/protocol';
import { isNotDelivered } from '@wcp/protocol/status-order';
import type { ConversationRow, MessageRow, NoteRow } from './store/port.ts';
import { agentErrorOf } from './twilio/errors.ts';
import { freeEntryExpiresAt, freeEntryReplyBy, referralArrivedAt } from './window/free-entry.ts';
import { replyWindowCloses } from './window/policy.ts';

/** When the conversation's 24-hour window closes, as the wire protocol gives it (null: never opened). */
export function apiWindowExpiresAt(c: Pick<ConversationRow, 'lastInboundAt' | 'windowClosedAt'>): string | null {
  return isoOrNull(replyWindowCloses(c));
}

export function toApiConversation(c: ConversationRow): Conversation {
  return {
    id: c.id,
    state: c.state,
    customer: { phone: c.customerPhone, profileName: c.profileName, waId: c.waId },
    businessPhone: c.businessPhone,
    assignedAgentId: c.assignedAgentId,
    offer: c.offerAgentId && c.offerExpiresAt !== null ? { agentId: c.offerAgentId, expiresAt: iso(c.offerExpiresAt) } : null,
    windowExpiresAt: apiWindowExpiresAt(c),
    lastInboundAt: isoOrNull(c.lastInboundAt),
    linkedRecord: c.linkedRecord,
    optedOut: c.optedOut,
    referral: c.referral,
    freeEntryExpiresAt: isoOrNull(freeEntryExpiresAt(c.referral !== null, c.firstReplyAt)),
    freeEntryReplyBy: isoOrNull(freeEntryReplyBy(referralArrivedAt(c), c.firstReplyAt)),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    // Team work: queues, transfer, consult, wrap-up
    queueId: c.queueId,
    disposition: c.disposition,
    summary: c.summary,
    consultants: c.consultants,
    previousConversationId: c.previousConversationId,
    transfer: c.transfer,
    // The end is kept after the conversation leaves wrap-up (closed, or handed over); it means nothing then.
    wrapUpEndsAt: c.state === 'wrapup' ? isoOrNull(c.wrapUpEndsAt) : null,
  };
}

export const mediaPath = (id: string): string => `/api/v1/media/${encodeURIComponent(id)}`;

export function toApiMessage(m: MessageRow): Message {
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    body: m.body,
    status: m.status,
    errorCode: m.errorCode,
    errorMessage: m.errorMessage,
    media: m.media.map((x) => ({ id: x.id, contentType: x.contentType, url: mediaPath(x.id), filename: x.filename, size: x.size })),
    replyTo: m.replyToId || m.replyToSid ? { id: m.replyToId, body: m.replyToBody } : null,
    template: m.template,
    agentId: m.agentId,
    ...(m.clientId ? { clientId: m.clientId } : {}),
    sentiment: m.sentiment,
    ...whatsappFields(m),
    createdAt: iso(m.createdAt),
  };
}

/** The WhatsApp fields a message carries when they apply (the raw webhook parameters stay in the store). */
function whatsappFields(m: MessageRow): Partial<Message> {
  const { raw: _raw, ...shown } = m.whatsapp ?? {};
  const error: MessageError | null = isNotDelivered(m.status) && m.errorCode !== null ? agentErrorOf(m.errorCode) : null;
  return { ...shown, ...(error ? { error } : {}) };
}

export function toApiNote(n: NoteRow): Note {
  return { ...n, createdAt: iso(n.createdAt) };
}
