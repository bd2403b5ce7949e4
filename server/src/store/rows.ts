/** Row mapping shared by the SQL adapters: database columns -> domain rows. */
import type { ConversationState, MessageSentiment, MessageStatus, Referral, Template } from '@wcp/protocol';
import type { AgentRow, ConsentEntry, ConversationRow, MediaRef, MediaRow, MessageRow, NoteRow, OutboxItem, WhatsAppExtras } from './port.ts';

type Raw = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const jsonOrNull = <T>(v: unknown): T | null => (v === null || v === undefined ? null : json<T>(v));

export function toAgent(r: Raw): AgentRow {
  return {
    id: String(r.id),
    name: String(r.name),
    role: r.role === 'supervisor' ? 'supervisor' : 'agent',
    presence: r.presence as AgentRow['presence'],
    capacity: num(r.capacity),
    lastOfferedAt: numOrNull(r.last_offered_at),
  };
}

export function toConversation(r: Raw): ConversationRow {
  return {
    id: String(r.id),
    state: r.state as ConversationState,
    customerPhone: String(r.customer_phone),
    profileName: strOrNull(r.profile_name),
    waId: strOrNull(r.wa_id),
    businessPhone: String(r.business_phone),
    assignedAgentId: strOrNull(r.assigned_agent_id),
    offerAgentId: strOrNull(r.offer_agent_id),
    offerExpiresAt: numOrNull(r.offer_expires_at),
    offerNamed: r.offer_named === true || r.offer_named === 1,
    lastInboundAt: numOrNull(r.last_inbound_at),
    windowClosedAt: numOrNull(r.window_closed_at),
    linkedRecord: jsonOrNull(r.linked_record),
    referral: jsonOrNull<Referral>(r.referral),
    firstReplyAt: numOrNull(r.first_reply_at),
    // SQLite keeps 0/1, PostgreSQL a boolean; rows from before the column have none.
    optedOut: r.opted_out === true || r.opted_out === 1,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    closedAt: numOrNull(r.closed_at),
    // Team work: queues, transfer, consult, wrap-up
    queueId: String(r.queue_id),
    disposition: strOrNull(r.disposition),
    summary: strOrNull(r.summary),
    consultants: json<string[]>(r.consultants ?? '[]'),
    previousConversationId: strOrNull(r.previous_conversation_id),
    waitingSince: numOrNull(r.waiting_since),
    transfer: jsonOrNull(r.transfer),
    wrapUpEndsAt: numOrNull(r.wrapup_ends_at),
  };
}

export function toMessage(r: Raw): MessageRow {
  return {
    id: String(r.id),
    conversationId: String(r.conversation_id),
    direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
    body: String(r.body),
    status: r.status as MessageStatus,
    errorCode: numOrNull(r.error_code),
    errorMessage: strOrNull(r.error_message),
    twilioSid: strOrNull(r.twilio_sid),
    media: json<MediaRef[]>(r.media ?? '[]'),
    replyToSid: strOrNull(r.reply_to_sid),
    replyToId: strOrNull(r.reply_to_id),
    replyToBody: strOrNull(r.reply_body),
    template: jsonOrNull<Template>(r.template),
    agentId: strOrNull(r.agent_id),
    clientId: strOrNull(r.client_id),
    sentiment: jsonOrNull<MessageSentiment>(r.sentiment),
    whatsapp: jsonOrNull<WhatsAppExtras>(r.whatsapp),
    createdAt: num(r.created_at),
  };
}

export function toNote(r: Raw): NoteRow {
  return {
    id: String(r.id),
    conversationId: String(r.conversation_id),
    agentId: String(r.agent_id),
    agentName: String(r.agent_name),
    body: String(r.body),
    createdAt: num(r.created_at),
  };
}

export function toMedia(r: Raw): MediaRow {
  return {
    id: String(r.id),
    conversationId: strOrNull(r.conversation_id),
    contentType: String(r.content_type),
    filename: strOrNull(r.filename),
    size: numOrNull(r.size),
    sourceUrl: strOrNull(r.source_url),
    publicToken: strOrNull(r.public_token),
    publicExpiresAt: numOrNull(r.public_expires_at),
    uploadedBy: strOrNull(r.agent_id),
  };
}

/** An outbox row joined with its message (`body`, `media`, `template`, `whatsapp`, `conversation_id`), claimed for `sendAt`. */
export function toOutboxItem(r: Raw, sendAt: number): OutboxItem {
  const media = json<MediaRef[]>(r.media ?? '[]');
  return {
    messageId: String(r.message_id),
    conversationId: String(r.conversation_id),
    sender: String(r.sender),
    to: String(r.recipient),
    body: String(r.body),
    mediaId: media[0]?.id ?? null,
    template: jsonOrNull<Template>(r.template),
    buttons: jsonOrNull<WhatsAppExtras>(r.whatsapp)?.buttons ?? null,
    attempts: num(r.attempts),
    queuedAt: num(r.queued_at),
    // inflight_since survives a claim while the outcome of an earlier attempt is unknown.
    inDoubtSince: numOrNull(r.inflight_since),
    sendAt,
  };
}

export function toConsentEntry(r: Raw): ConsentEntry {
  return {
    customerPhone: String(r.customer_phone),
    businessPhone: String(r.business_phone),
    optedOut: r.opted_out === true || r.opted_out === 1,
    cause: String(r.cause),
    messageId: strOrNull(r.message_id),
    createdAt: num(r.created_at),
  };
}
