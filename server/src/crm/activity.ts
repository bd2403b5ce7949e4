/**
 * A conversation as its CRM activity (`wcp_whatsappconversation`, ../shared/DESIGN.md "The
 * CRM record"): the row the relay upserts, as a pure function of what the relay holds. One row
 * per conversation, its key a UUID v5 of the conversation id; "regarding" follows the linked
 * record; on close the transcript, the end time and the completed state.
 */
import { v5 as uuidv5 } from 'uuid';
import { aggregateSentiment } from '@wcp/protocol/sentiment';
import { isNotDelivered } from '@wcp/protocol/status-order';
import { iso } from '../domain/clock.ts';
import { isGuid } from '../domain/ids.ts';
import type { ConversationRow, MessageRow, NoteRow } from '../store/port.ts';

export const ACTIVITY_ENTITY_SET = 'wcp_whatsappconversations';
/** Dataverse's limit for the multiline transcript column. */
export const TRANSCRIPT_MAX = 1_048_576;
/**
 * The text columns' lengths in the solution (pcf/solution/wcp_whatsappconversation.columns.json).
 * Dataverse refuses a whole write with one value too long (400), and no retry would help: a
 * customer's long WhatsApp profile name, say, would keep their conversation out of the CRM.
 */
const MAX_LENGTHS = { subject: 200, wcp_profilename: 200, wcp_agentname: 200, wcp_queue: 200, wcp_disposition: 100, wcp_sentiment: 100, wcp_summary: 4000 } as const;
/** Fixed for ever: the activity ids of conversations already written depend on it. */
const ACTIVITY_NAMESPACE = '5f0e2c7a-3b9d-4e61-9a8f-2d7c1b6e4a30';
const CUT_MARKER = '\n[… transcript cut at the CRM column limit; the full transcript stays in the relay]';

/** The regarding lookup's entity set per linked record type; others are written regarding nothing. */
const REGARDING_SETS: Record<string, string> = { contact: 'contacts', account: 'accounts', incident: 'incidents' };
const REGARDING_NONE = 'regardingobjectid_contact_wcp_whatsappconversation@odata.bind';

export function activityIdOf(conversationId: string): string {
  return uuidv5(conversationId, ACTIVITY_NAMESPACE);
}

export interface ActivityInput {
  conversation: ConversationRow;
  /** Oldest first. */
  messages: readonly MessageRow[];
  notes: readonly NoteRow[];
  /** The agent holding it now (`wcp_agentname`). */
  agentName: string | null;
  /** Names of the agents who wrote its replies, by id: after a transfer (or a supervisor's reply) not only the holder. */
  senders: ReadonlyMap<string, string>;
}

export function activityRow({ conversation: c, messages, notes, agentName, senders }: ActivityInput): Record<string, unknown> {
  const closed = c.state === 'closed';
  // Text cut to its column: a customer's WhatsApp profile name or an agent's Entra display name may be longer.
  const text: Record<keyof typeof MAX_LENGTHS, string | null> = {
    subject: `WhatsApp conversation with ${c.profileName ?? c.customerPhone}`,
    wcp_profilename: c.profileName,
    wcp_agentname: agentName,
    wcp_queue: c.queueId,
    wcp_disposition: c.disposition,
    wcp_summary: c.summary,
    wcp_sentiment: aggregateSentiment(messages).label,
  };
  const row: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(text).map(([column, value]) => [column, typeof value === 'string' ? fit(value, MAX_LENGTHS[column as keyof typeof MAX_LENGTHS]) : value])),
    wcp_conversationid: c.id,
    wcp_customerphone: c.customerPhone,
    wcp_messagecount: messages.length,
    actualstart: iso(c.createdAt),
  };
  // A link the relay took with an id that is no Dataverse key (the API takes any record id) is
  // written regarding nothing: Dataverse would refuse the whole write with 400, for good, and the
  // conversation would never reach the customer's timeline.
  const regarding = c.linkedRecord && isGuid(c.linkedRecord.id) && REGARDING_SETS[c.linkedRecord.entityType];
  if (regarding) row[`regardingobjectid_${c.linkedRecord!.entityType}_wcp_whatsappconversation@odata.bind`] = `/${regarding}(${c.linkedRecord!.id})`;
  // Not linked (never, or no longer: the agent unlinked it): regarding nothing. A PATCH only
  // changes what it names, so the lookup is emptied explicitly (a null bind disassociates); any
  // of its navigation properties names the one regardingobjectid column.
  else row[REGARDING_NONE] = null;
  if (closed) {
    row.wcp_transcript = transcriptOf(messages, notes, senders);
    // When it closed: a link, a late delivery status or an opt-out changes the conversation after that.
    row.actualend = iso(c.closedAt ?? c.updatedAt);
  }
  return row;
}

/**
 * The row regarding nothing: for when the linked record is gone from the CRM (deleted or
 * merged), so the conversation and its transcript are still kept, findable by the customer's
 * number, rather than refused for good.
 */
export function withoutRegarding(row: Record<string, unknown>): Record<string, unknown> | null {
  const binds = Object.keys(row).filter((key) => key.startsWith('regardingobjectid_') && key.endsWith('@odata.bind') && row[key] !== null);
  if (binds.length === 0) return null;
  const rest = Object.fromEntries(Object.entries(row).filter(([key]) => !binds.includes(key)));
  return { ...rest, [REGARDING_NONE]: null };
}

/** An activity's completed state (statecode 1, statuscode 2 on every activity). */
export const COMPLETED = { statecode: 1, statuscode: 2 } as const;
/** Its open state: a completed activity is read-only until set back to it. */
export const REOPENED = { statecode: 0, statuscode: 1 } as const;

/**
 * The PATCHes that bring the activity up to date, in order. An activity cannot be created
 * completed (statecode is not valid on create), and the first write may be the one after the
 * close (Dataverse was down until then): so the columns go first, as an upsert that creates or
 * updates, and the completed state after, as an update of a row that now exists.
 */
export function activityWrites(input: ActivityInput): Record<string, unknown>[] {
  const row = activityRow(input);
  return input.conversation.state === 'closed' ? [row, { ...COMPLETED }] : [row];
}

/**
 * One line per message and note, by time: when, who, what; media by file name; notes marked
 * internal. A reply is signed by the agent who wrote it (`senders`), not whoever holds the
 * conversation at the end: a transferred conversation has replies by two agents. A reply that
 * WhatsApp could not deliver says so: the record must not tell a reader the customer was told.
 */
export function transcriptOf(messages: readonly MessageRow[], notes: readonly NoteRow[], senders: ReadonlyMap<string, string>): string {
  const lines = [
    ...messages.map((m) => ({
      at: m.createdAt,
      text: `${iso(m.createdAt)} ${m.direction === 'inbound' ? 'Customer' : ((m.agentId && senders.get(m.agentId)) ?? 'Agent')}: ${[m.body, ...m.media.map((x) => `[${x.filename ?? x.contentType}]`), isNotDelivered(m.status) ? '[not delivered]' : ''].filter(Boolean).join(' ')}`,
    })),
    ...notes.map((n) => ({ at: n.createdAt, text: `${iso(n.createdAt)} ${n.agentName} (internal note): ${n.body}` })),
  ].sort((a, b) => a.at - b.at);
  return fit(lines.map((l) => l.text).join('\n'), TRANSCRIPT_MAX, CUT_MARKER);
}

/**
 * `text` in at most `max` UTF-16 units (as Dataverse counts a column's length), `marker` ending
 * a cut one. The cut never falls between the two halves of a character beyond the BMP (an
 * emoji): half of one would show as "�".
 */
function fit(text: string, max: number, marker = '…'): string {
  if (text.length <= max) return text;
  let end = max - marker.length;
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end--;
  return text.slice(0, end) + marker;
}
