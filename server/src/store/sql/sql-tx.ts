/**
 * The Tx port in SQL both dialects speak, written once: `?` placeholders (the PostgreSQL
 * driver numbers them), RETURNING, ON CONFLICT, JSON passed as text. Each dialect's adapter
 * extends this with what only it can do well: how events get their ids, the one-statement
 * webhook insert, the outbox claim, row locks and full-text search.
 */
import type { AgentScript, ConversationState, MessageSentiment, MessageStatus, MessageTemplate, Presence, QuickReply, RelayEventType } from '@wcp/protocol';
import type { AgentRow, ConsentEntry, ConversationRow, InboundRecord, MediaRef, MediaRow, MessageRow, NoteRow, OutboxItem, QueueCountsRow, QueueRow, SearchRow, StoredEvent, StoredEventData, UnofferedCursor } from '../port.ts';
import { CONVERSATION_STATES } from '@wcp/protocol/values';
import { CUSTOMER_STATES, waitingFrom } from '../../domain/conversation-rules.ts';
import { DEFAULT_QUEUE_ID } from '../../domain/queues.ts';
import { json, toAgent, toConsentEntry, toConversation, toMedia, toMessage, toNote } from '../rows.ts';
import type { ConfigKind, ConversationPatch, CrmWrite, InboundIds, MetricGauges, NewOutbound, ParkedStatus, SlotWindow, StoredInbound, Tx } from '../tx.ts';
import { SEARCH_MARK } from './search-terms.ts';

export type Raw = Record<string, unknown>;

/** What a dialect's connection must do for SqlTx: run one statement with `?` placeholders. */
export interface SqlDriver {
  /** The rows a statement returns (none for a statement that returns no data). */
  all<T = Raw>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** Every message column but the full-text index's: the quoted message's body comes from the join. */
export const MESSAGE_FIELDS = `seq, id, conversation_id, direction, body, status, error_code, error_message,
  twilio_sid, media, reply_to_sid, reply_to_id, template, agent_id, client_id, sentiment, whatsapp, created_at`;
export const MESSAGE_COLUMNS = MESSAGE_FIELDS.replace(/\w+/g, 'm.$&');
export const MESSAGE_SELECT = `SELECT ${MESSAGE_COLUMNS}, r.body AS reply_body FROM messages m LEFT JOIN messages r ON r.id = m.reply_to_id`;
export const MEDIA_COLUMNS = 'id, conversation_id, content_type, filename, size, source_url, public_token, public_expires_at, agent_id';

const PATCH_COLUMNS: Record<keyof ConversationPatch, string> = {
  state: 'state',
  assignedAgentId: 'assigned_agent_id',
  offerAgentId: 'offer_agent_id',
  offerExpiresAt: 'offer_expires_at',
  offerNamed: 'offer_named',
  linkedRecord: 'linked_record',
  closedAt: 'closed_at',
  windowClosedAt: 'window_closed_at',
  queueId: 'queue_id',
  disposition: 'disposition',
  summary: 'summary',
  consultants: 'consultants',
  waitingSince: 'waiting_since',
  transfer: 'transfer',
  wrapUpEndsAt: 'wrapup_ends_at',
};
/** Patch columns stored as JSON text. */
const JSON_PATCH: ReadonlySet<keyof ConversationPatch> = new Set(['linkedRecord', 'consultants', 'transfer']);

/** A LIKE pattern (escape `\`) for a JSON array of strings holding `id`. */
export const jsonArrayHolds = (id: string): string => `%${JSON.stringify(id).replace(/[\\%_]/g, '\\$&')}%`;

/**
 * What a conversation opened by a customer's message takes besides its own columns: the
 * queue listing its business number (else the default queue, DEFAULT_QUEUE_ID) and the
 * customer's previous conversation with that number. `business` and `customer` are the
 * dialect's parameter references (sqlite: '?' twice, bound to `to` then `from`, `to`).
 */
export const OPEN_TEAM_COLUMNS = 'queue_id, previous_conversation_id';
export const OPEN_TEAM_VALUES = (business: string, customer: string): string =>
  `COALESCE((SELECT qn.queue_id FROM queue_numbers qn WHERE qn.number = ${business}), '${DEFAULT_QUEUE_ID}'),
   (SELECT p.id FROM conversations p WHERE p.customer_phone = ${customer} AND p.business_phone = ${business} ORDER BY p.created_at DESC LIMIT 1)`;

/**
 * Whether outbox item `o` (its message `m`) is its customer's next reply: no earlier one to the
 * same customer from the same sender is still in the outbox. Only that one may be claimed, so a
 * customer reads the replies in the order they were written even when one is retried (Twilio's
 * 429 or 5xx): the next waits until the one before it is settled. Per item, on the outbox's
 * (sender, recipient) index: a scan of the whole outbox per claim made a 5,000-deep backlog
 * (a Twilio outage) cost 1.8 s per claim.
 */
export const customerNextSend = (o: string, m: string): string =>
  `NOT EXISTS (SELECT 1 FROM outbox ho JOIN messages hm ON hm.id = ho.message_id WHERE ho.sender = ${o}.sender AND ho.recipient = ${o}.recipient AND hm.seq < ${m}.seq)`;

/** conversation-rules.ts waitingFrom, in SQL (the open conversations are indexed by it: conversations_waiting). */
const WAITING_FROM = 'COALESCE(waiting_since, created_at)';

/**
 * The states of a live (not closed) conversation, named: each is a range of the
 * `(state, created_at)` index, where `<> 'closed'` would scan the closed ones — the whole history.
 */
const LIVE_STATES_SQL = CONVERSATION_STATES.filter((s) => s !== 'closed')
  .map((s) => `'${s}'`)
  .join(', ');

/** conversation-rules.ts CUSTOMER_STATES, in SQL: the conversation a customer's message joins (the conversations_one_open index's predicate, verbatim). */
export const JOINS_CUSTOMER_MESSAGES = `state IN (${CUSTOMER_STATES.map((s) => `'${s}'`).join(', ')})`;

/** A JSON column's value: text, or NULL for null and absent. */
export const jsonText = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** An agent's load (agentsWithLoad): its conversations in one of the load states, plus its live offers. Parameters: the states, then now. */
const loadColumn = (loadStates: readonly ConversationState[]): string =>
  `(SELECT COUNT(*) FROM conversations c WHERE c.assigned_agent_id = a.id AND c.state IN (${placeholders(loadStates.length)}))
        + (SELECT COUNT(*) FROM conversations c WHERE c.offer_agent_id = a.id AND c.state = 'open' AND c.offer_expires_at > ?) AS load`;

/** Columns written beside a new message's body, as SQL for the column list and the values list, and their values. */
export interface SearchColumns {
  names: string;
  placeholders: string;
  values: unknown[];
}

export abstract class SqlTx implements Tx {
  constructor(protected readonly db: SqlDriver) {}

  protected async one<T = Raw>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.db.all<T>(sql, params))[0];
  }

  /** ` FOR UPDATE` (of `table`) where the dialect has row locks; SQLite's one writer needs none. */
  protected abstract forUpdate(table?: string): string;

  abstract emit<K extends RelayEventType>(type: K, agentId: string | null, data: StoredEventData[K]): StoredEvent<K>;
  abstract appendEvent<K extends RelayEventType>(type: K, agentId: string | null, data: StoredEventData[K]): Promise<number>;
  abstract storeInbound(inbound: InboundRecord, ids: InboundIds): Promise<StoredInbound>;
  abstract dueOutbox(now: number, perSender: number, limit: number, sender: string | null, slots: SlotWindow): Promise<OutboxItem[]>;
  abstract lockSid(sid: string): Promise<void>;
  abstract searchMessages(visibleTo: string | null, query: string, limit: number): Promise<SearchRow[]>;

  // ---------------------------------------------------------------- events

  async readEvents(agentId: string | null, afterId: number, limit: number): Promise<StoredEvent[]> {
    const rows =
      agentId === null
        ? await this.db.all('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?', [afterId, limit])
        : await this.db.all('SELECT * FROM events WHERE id > ? AND agent_id = ? ORDER BY id LIMIT ?', [afterId, agentId, limit]);
    return rows.map((r) => ({
      id: Number(r.id),
      type: r.type as RelayEventType,
      agentId: (r.agent_id as string | null) ?? null,
      data: json<StoredEvent['data']>(r.data),
    }));
  }

  async latestEventId(): Promise<number> {
    const r = await this.one<{ id: number | null }>('SELECT MAX(id) AS id FROM (SELECT MAX(id) AS id FROM events UNION ALL SELECT through FROM event_log_pruned) ids');
    return Number(r?.id ?? 0);
  }

  async markEventLog(now: number, notedSince: number): Promise<void> {
    await this.db.run(
      `INSERT INTO event_log_marks (at, last_id) SELECT ?, (SELECT COALESCE(MAX(id), 0) FROM events)
       WHERE NOT EXISTS (SELECT 1 FROM event_log_marks WHERE at > ?) ON CONFLICT DO NOTHING`,
      [now, notedSince],
    );
  }

  async eventLogMarkAt(at: number): Promise<number | null> {
    const r = await this.one<{ last_id: number | null }>('SELECT MAX(last_id) AS last_id FROM event_log_marks WHERE at <= ?', [at]);
    return r?.last_id === null || r?.last_id === undefined ? null : Number(r.last_id);
  }

  async eventLogPrunedThrough(forUpdate = false): Promise<number> {
    return Number((await this.one<{ through: number }>(`SELECT through FROM event_log_pruned WHERE id = 1${forUpdate ? this.forUpdate() : ''}`))!.through);
  }

  async pruneEvents(from: number, upTo: number, marksBefore: number): Promise<number> {
    const pruned = await this.db.run('DELETE FROM events WHERE id > ? AND id <= ?', [from, upTo]);
    await this.db.run('UPDATE event_log_pruned SET through = ? WHERE id = 1', [upTo]);
    // The newest note at or before the boundary stays: it is the next prune's bound.
    await this.db.run('DELETE FROM event_log_marks WHERE at < (SELECT MAX(at) FROM event_log_marks WHERE at <= ?)', [marksBefore]);
    return pruned;
  }

  // ---------------------------------------------------------------- agents

  async upsertAgent(agent: { id: string; name: string; role: AgentRow['role'] }, capacity: number, now: number): Promise<AgentRow> {
    const r = await this.one(
      `INSERT INTO agents (id, name, role, presence, capacity, updated_at) VALUES (?, ?, ?, 'offline', ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role RETURNING *`,
      [agent.id, agent.name, agent.role, capacity, now],
    );
    return toAgent(r!);
  }

  async getAgent(id: string): Promise<AgentRow | null> {
    const r = await this.one('SELECT * FROM agents WHERE id = ?', [id]);
    return r ? toAgent(r) : null;
  }

  async updatePresence(agentId: string, presence: Presence, now: number): Promise<AgentRow | null> {
    const r = await this.one('UPDATE agents SET presence = ?, updated_at = ? WHERE id = ? RETURNING *', [presence, now, agentId]);
    return r ? toAgent(r) : null;
  }

  async markPanelsSeen(agentIds: readonly string[], now: number): Promise<void> {
    if (!agentIds.length) return;
    await this.db.run(`UPDATE agents SET panel_seen_at = ? WHERE id IN (${placeholders(agentIds.length)})`, [now, ...agentIds]);
  }

  async listAgentsAbsentSince(cutoff: number): Promise<AgentRow[]> {
    const rows = await this.db.all(
      `SELECT * FROM agents WHERE presence <> 'offline' AND panel_seen_at IS NOT NULL AND panel_seen_at < ? ORDER BY id${this.forUpdate()}`,
      [cutoff],
    );
    return rows.map(toAgent);
  }

  async markOffered(agentId: string, now: number): Promise<void> {
    await this.db.run('UPDATE agents SET last_offered_at = ? WHERE id = ?', [now, agentId]);
  }

  /** `presences` null: every agent. */
  async agentsWithLoad(presences: readonly Presence[] | null, loadStates: readonly ConversationState[], now: number): Promise<(AgentRow & { load: number })[]> {
    const rows = await this.db.all(
      `SELECT a.*, ${loadColumn(loadStates)} FROM agents a${presences ? ` WHERE a.presence IN (${placeholders(presences.length)})` : ' ORDER BY a.name, a.id'}`,
      [...loadStates, now, ...(presences ?? [])],
    );
    return rows.map((r) => ({ ...toAgent(r), load: Number(r.load) }));
  }

  async agentWithLoad(agentId: string, loadStates: readonly ConversationState[], now: number): Promise<(AgentRow & { load: number }) | null> {
    const r = await this.one(`SELECT a.*, ${loadColumn(loadStates)} FROM agents a WHERE a.id = ?${this.forUpdate()}`, [...loadStates, now, agentId]);
    return r ? { ...toAgent(r), load: Number(r.load) } : null;
  }

  // ---------------------------------------------------------------- conversations

  async getConversation(id: string, forUpdate = false): Promise<ConversationRow | null> {
    const r = await this.one(`SELECT * FROM conversations WHERE id = ?${forUpdate ? this.forUpdate() : ''}`, [id]);
    return r ? toConversation(r) : null;
  }

  async updateConversation(id: string, patch: ConversationPatch, now: number): Promise<ConversationRow> {
    const keys = Object.keys(patch) as (keyof ConversationPatch)[];
    // A boolean as 1/0: SQLite binds no booleans; PostgreSQL reads '1'/'0' as one.
    const values = keys.map((k) => (JSON_PATCH.has(k) ? (patch[k] ? JSON.stringify(patch[k]) : null) : typeof patch[k] === 'boolean' ? Number(patch[k]) : patch[k]));
    const r = await this.one(`UPDATE conversations SET ${keys.map((k) => `${PATCH_COLUMNS[k]} = ?, `).join('')}updated_at = ? WHERE id = ? RETURNING *`, [
      ...values,
      now,
      id,
    ]);
    return toConversation(r!);
  }

  async listConversations(visibleTo: string | null, state: ConversationState | null, now: number, limit: number): Promise<ConversationRow[]> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (visibleTo !== null) {
      // As conversation-rules.ts canRead: assigned, offered and the offer still live, or consulted.
      clauses.push(`(assigned_agent_id = ? OR (offer_agent_id = ? AND offer_expires_at > ?) OR consultants LIKE ? ESCAPE '\\')`);
      params.push(visibleTo, visibleTo, now, jsonArrayHolds(visibleTo));
    }
    if (state) {
      clauses.push('state = ?');
      params.push(state);
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    return (await this.db.all(`SELECT * FROM conversations ${where} ORDER BY updated_at DESC LIMIT ?`, [...params, limit])).map(toConversation);
  }

  async listCustomerConversations(customerPhone: string, limit: number): Promise<ConversationRow[]> {
    return (await this.db.all('SELECT * FROM conversations WHERE customer_phone = ? ORDER BY created_at DESC LIMIT ?', [customerPhone, limit])).map(toConversation);
  }

  async customerKnownTo(customerPhone: string, agentId: string): Promise<boolean> {
    // A consultant helps the holder with this customer: it sees the history the holder sees, while the consult lasts.
    const r = await this.one(
      `SELECT 1 AS known FROM conversations WHERE customer_phone = ? AND (assigned_agent_id = ? OR offer_agent_id = ? OR consultants LIKE ? ESCAPE '\\') LIMIT 1`,
      [customerPhone, agentId, agentId, jsonArrayHolds(agentId)],
    );
    return r !== undefined;
  }

  async listUnoffered(now: number, limit: number, queueIds: readonly string[] | null = null, after: UnofferedCursor | null = null): Promise<ConversationRow[]> {
    if (queueIds?.length === 0) return [];
    const inQueues = queueIds ? ` AND queue_id IN (${placeholders(queueIds.length)})` : '';
    const pastCursor = after ? ` AND (${WAITING_FROM} > ? OR (${WAITING_FROM} = ? AND id > ?))` : '';
    // The customer who has waited longest first, whether they came in or were sent back to the queue.
    return (
      await this.db.all(
        `SELECT * FROM conversations WHERE state = 'open' AND (offer_agent_id IS NULL OR offer_expires_at <= ?)${inQueues}${pastCursor} ORDER BY ${WAITING_FROM}, id LIMIT ?`,
        [now, ...(queueIds ?? []), ...(after ? [waitingFrom(after), waitingFrom(after), after.id] : []), limit],
      )
    ).map(toConversation);
  }

  async listLiveOffersTo(agentId: string, now: number): Promise<ConversationRow[]> {
    return (
      await this.db.all(
        `SELECT * FROM conversations WHERE offer_agent_id = ? AND state = 'open' AND offer_expires_at > ? ORDER BY created_at${this.forUpdate()}`,
        [agentId, now],
      )
    ).map(toConversation);
  }

  async listLapsedOffers(now: number): Promise<ConversationRow[]> {
    return (
      await this.db.all(
        `SELECT * FROM conversations WHERE state = 'open' AND offer_agent_id IS NOT NULL AND offer_expires_at <= ? ORDER BY created_at${this.forUpdate()}`,
        [now],
      )
    ).map(toConversation);
  }

  async recordDecline(conversationId: string, agentId: string, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO offer_declines (conversation_id, agent_id, declined_at) VALUES (?, ?, ?)
       ON CONFLICT (conversation_id, agent_id) DO UPDATE SET declined_at = excluded.declined_at`,
      [conversationId, agentId, now],
    );
  }

  async declinedBy(conversationId: string, since: number): Promise<Set<string>> {
    return (await this.declinesOf([conversationId], since)).get(conversationId) ?? new Set();
  }

  async declinesOf(conversationIds: readonly string[], since: number): Promise<Map<string, Set<string>>> {
    const declines = new Map<string, Set<string>>();
    if (!conversationIds.length) return declines;
    const rows = await this.db.all<{ conversation_id: string; agent_id: string }>(
      `SELECT conversation_id, agent_id FROM offer_declines WHERE conversation_id IN (${placeholders(conversationIds.length)}) AND declined_at >= ?`,
      [...conversationIds, since],
    );
    for (const r of rows) declines.set(r.conversation_id, (declines.get(r.conversation_id) ?? new Set()).add(r.agent_id));
    return declines;
  }

  // ---------------------------------------------------------------- messages

  async getMessage(id: string, forUpdate = false): Promise<MessageRow | null> {
    const r = await this.one(`${MESSAGE_SELECT} WHERE m.id = ?${forUpdate ? this.forUpdate('m') : ''}`, [id]);
    return r ? toMessage(r) : null;
  }

  async findMessageBySid(sid: string, forUpdate = false): Promise<MessageRow | null> {
    const r = await this.one(`${MESSAGE_SELECT} WHERE m.twilio_sid = ?${forUpdate ? this.forUpdate('m') : ''}`, [sid]);
    return r ? toMessage(r) : null;
  }

  async findClientMessage(agentId: string, clientId: string): Promise<MessageRow | null> {
    const r = await this.one(`${MESSAGE_SELECT} WHERE m.agent_id = ? AND m.client_id = ?`, [agentId, clientId]);
    return r ? toMessage(r) : null;
  }

  async latestInbound(conversationId: string): Promise<MessageRow | null> {
    const r = await this.one(`${MESSAGE_SELECT} WHERE m.conversation_id = ? AND m.direction = 'inbound' ORDER BY m.seq DESC LIMIT 1`, [conversationId]);
    return r ? toMessage(r) : null;
  }

  async listMessages(conversationId: string, beforeSeq: number, limit: number): Promise<{ items: MessageRow[]; next: string | null }> {
    const rows = await this.db.all(`${MESSAGE_SELECT} WHERE m.conversation_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`, [conversationId, beforeSeq, limit + 1]);
    const more = rows.length > limit;
    const page = rows.slice(0, limit).reverse();
    return { items: page.map(toMessage), next: more && page[0] ? String(page[0].seq) : null };
  }

  /**
   * What a dialect stores beside a new message's body for transcript search: PostgreSQL's
   * search_text (pg-tx.ts SEARCH_TEXT); nothing for SQLite, whose index reads the body itself.
   */
  protected abstract searchColumns(body: string): SearchColumns;

  async insertOutbound(m: NewOutbound): Promise<MessageRow> {
    const search = this.searchColumns(m.body);
    await this.db.run(
      `INSERT INTO messages (id, conversation_id, direction, body, status, media, reply_to_id, template, agent_id, client_id, whatsapp, created_at${search.names})
       VALUES (?, ?, 'outbound', ?, 'queued', ?, ?, ?, ?, ?, ?, ?${search.placeholders})`,
      [m.id, m.conversationId, m.body, JSON.stringify(m.media), m.replyToId, m.template ? JSON.stringify(m.template) : null, m.agentId, m.clientId, jsonText(m.whatsapp), m.createdAt, ...search.values],
    );
    return (await this.getMessage(m.id))!;
  }

  async updateMessageStatus(id: string, status: MessageStatus, errorCode: number | null, errorMessage: string | null): Promise<void> {
    await this.db.run('UPDATE messages SET status = ?, error_code = ?, error_message = ? WHERE id = ?', [status, errorCode, errorMessage, id]);
  }

  async setTwilioSid(messageId: string, sid: string): Promise<void> {
    await this.db.run('UPDATE messages SET twilio_sid = ? WHERE id = ?', [sid, messageId]);
  }

  async attachUpload(mediaId: string, agentId: string, conversationId: string): Promise<MediaRef | null> {
    // Whoever reads a conversation may open its files: an upload already in another conversation
    // stays there. (PostgreSQL re-checks the condition after waiting for a concurrent attach's commit.)
    const r = await this.one(
      `UPDATE media SET conversation_id = ? WHERE id = ? AND agent_id = ? AND source_url IS NULL AND (conversation_id IS NULL OR conversation_id = ?)
       RETURNING ${MEDIA_COLUMNS}`,
      [conversationId, mediaId, agentId, conversationId],
    );
    if (!r) return null;
    const row = toMedia(r);
    return { id: row.id, contentType: row.contentType, filename: row.filename, size: row.size };
  }

  // ---------------------------------------------------------------- outbox

  async enqueue(messageId: string, sender: string, recipient: string, at: number): Promise<void> {
    await this.db.run(`INSERT INTO outbox (message_id, sender, recipient, state, next_attempt_at, queued_at) VALUES (?, ?, ?, 'pending', ?, ?)`, [messageId, sender, recipient, at, at]);
  }

  async dequeue(messageId: string): Promise<void> {
    await this.db.run('DELETE FROM outbox WHERE message_id = ?', [messageId]);
  }

  async retryLater(messageId: string, nextAttemptAt: number, keepInDoubt: boolean): Promise<void> {
    await this.db.run(
      `UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL${keepInDoubt ? '' : ', inflight_since = NULL'}
       WHERE message_id = ?`,
      [nextAttemptAt, messageId],
    );
  }

  async senderSlots(senders: readonly string[]): Promise<Map<string, number>> {
    const slots = new Map<string, number>();
    // The upsert locks each sender's row until commit (PostgreSQL), so claims for one
    // sender are paced one after another across instances. Name order: no deadlock.
    for (const sender of [...senders].sort()) {
      const r = await this.one<{ next_slot_at: number }>(
        `INSERT INTO sender_slots (sender, next_slot_at) VALUES (?, 0)
         ON CONFLICT (sender) DO UPDATE SET next_slot_at = sender_slots.next_slot_at RETURNING next_slot_at`,
        [sender],
      );
      slots.set(sender, Number(r!.next_slot_at));
    }
    return slots;
  }

  async setSenderSlot(sender: string, nextSlotAt: number): Promise<void> {
    await this.db.run('UPDATE sender_slots SET next_slot_at = ? WHERE sender = ?', [nextSlotAt, sender]);
  }

  async markInflight(messageId: string, inflightSince: number, leaseUntil: number): Promise<void> {
    await this.db.run(`UPDATE outbox SET state = 'inflight', inflight_since = ?, lease_until = ? WHERE message_id = ?`, [inflightSince, leaseUntil, messageId]);
  }

  async nextOutboxDueAt(): Promise<number | null> {
    // A reply behind another of its customer's is not due before that one is settled (customerNextSend).
    const r = await this.one<{ due: number | null }>(
      `SELECT MIN(CASE WHEN o.state = 'pending' THEN o.next_attempt_at ELSE o.lease_until END) AS due
       FROM outbox o JOIN messages m ON m.id = o.message_id WHERE ${customerNextSend('o', 'm')}`,
    );
    return r?.due === null || r?.due === undefined ? null : Number(r.due);
  }

  async parkStatus(sid: string, status: ParkedStatus, receivedAt: number): Promise<void> {
    await this.db.run(
      `INSERT INTO parked_statuses (message_sid, status, error_code, error_message, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [sid, status.status, status.errorCode, status.errorMessage, receivedAt],
    );
  }

  async takeParkedStatuses(sid: string): Promise<ParkedStatus[]> {
    const rows = await this.db.all('DELETE FROM parked_statuses WHERE message_sid = ? RETURNING *', [sid]);
    return rows
      .sort((a, b) => Number(a.received_at) - Number(b.received_at))
      .map((p) => ({ status: p.status as MessageStatus, errorCode: p.error_code === null ? null : Number(p.error_code), errorMessage: (p.error_message as string | null) ?? null }));
  }

  // ---------------------------------------------------------------- notes

  async insertNote(note: NoteRow): Promise<NoteRow> {
    const r = await this.one('INSERT INTO notes (id, conversation_id, agent_id, agent_name, body, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *', [
      note.id,
      note.conversationId,
      note.agentId,
      note.agentName,
      note.body,
      note.createdAt,
    ]);
    return toNote(r!);
  }

  async listNotes(conversationId: string): Promise<NoteRow[]> {
    return (await this.db.all('SELECT * FROM notes WHERE conversation_id = ? ORDER BY created_at, id', [conversationId])).map(toNote);
  }

  // ---------------------------------------------------------------- media

  async insertUpload(u: {
    id: string;
    bytes: Uint8Array;
    contentType: string;
    filename: string | null;
    publicToken: string;
    publicExpiresAt: number;
    agentId: string;
    createdAt: number;
  }): Promise<MediaRow> {
    const r = await this.one(
      `INSERT INTO media (id, content_type, filename, size, bytes, public_token, public_expires_at, agent_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${MEDIA_COLUMNS}`,
      [u.id, u.contentType, u.filename, u.bytes.byteLength, Buffer.from(u.bytes), u.publicToken, u.publicExpiresAt, u.agentId, u.createdAt],
    );
    return toMedia(r!);
  }

  async deleteUnsentUploads(lapsedBefore: number, limit: number): Promise<number> {
    // The condition again outside the subquery: PostgreSQL re-checks only the outer WHERE on a
    // row a send attached (and committed) while this waited for its lock, and that one stays.
    const unsent = 'conversation_id IS NULL AND source_url IS NULL AND public_expires_at < ?';
    return this.db.run(
      `DELETE FROM media WHERE ${unsent} AND id IN (SELECT id FROM media WHERE ${unsent} ORDER BY public_expires_at LIMIT ?)`,
      [lapsedBefore, lapsedBefore, limit],
    );
  }

  async getMedia(id: string): Promise<MediaRow | null> {
    const r = await this.one(`SELECT ${MEDIA_COLUMNS} FROM media WHERE id = ?`, [id]);
    return r ? toMedia(r) : null;
  }

  async getMediaBytes(id: string): Promise<Uint8Array | null> {
    const r = await this.one<{ bytes: Buffer | null }>('SELECT bytes FROM media WHERE id = ?', [id]);
    return r?.bytes ? new Uint8Array(r.bytes) : null;
  }

  async getMediaByPublicToken(token: string, now: number): Promise<MediaRow | null> {
    const r = await this.one(`SELECT ${MEDIA_COLUMNS} FROM media WHERE public_token = ? AND public_expires_at > ?`, [token, now]);
    return r ? toMedia(r) : null;
  }

  async renewPublicLink(mediaId: string, expiresAt: number): Promise<void> {
    await this.db.run('UPDATE media SET public_expires_at = ? WHERE id = ? AND public_token IS NOT NULL', [expiresAt, mediaId]);
  }

  /** A full-text hit joined with its conversation (`c.*`), as both dialects' search queries select it. */
  protected toSearchRow(r: Raw): SearchRow {
    return {
      conversationId: String(r.id),
      messageId: String(r.message_id),
      direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
      // Cut from the text as the index reads it (search-terms.ts searchableText): its marks come out.
      snippet: String(r.snippet).replaceAll(SEARCH_MARK, ''),
      createdAt: Number(r.message_created_at),
      conversation: toConversation(r),
    };
  }

  // ---------------------------------------------------------------- configuration data

  async listConfig<T>(kind: ConfigKind): Promise<T[]> {
    return (await this.db.all<{ data: unknown }>('SELECT data FROM config_items WHERE kind = ? ORDER BY position', [kind])).map((r) => json<T>(r.data));
  }

  async insertConfig(kind: ConfigKind, id: string, position: number, item: QuickReply | AgentScript | MessageTemplate): Promise<void> {
    await this.db.run('INSERT INTO config_items (kind, id, position, data) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO NOTHING', [kind, id, position, JSON.stringify(item)]);
  }

  async metricGauges(): Promise<MetricGauges> {
    const depth = await this.one<{ n: number }>('SELECT COUNT(*) AS n FROM outbox');
    const crmFailed = await this.one<{ n: number }>('SELECT COUNT(*) AS n FROM crm_sync WHERE failed_at IS NOT NULL');
    const conversations = await this.db.all<{ state: string; count: number }>('SELECT state, COUNT(*) AS count FROM conversations GROUP BY state');
    return { outboxDepth: Number(depth?.n ?? 0), crmWritesFailed: Number(crmFailed?.n ?? 0), conversations: conversations.map((c) => ({ state: c.state, count: Number(c.count) })) };
  }

  // ---------------------------------------------------------------- Team work: queues, transfer, consult, wrap-up

  listAgentsWithLoad(loadStates: readonly ConversationState[], now: number): Promise<(AgentRow & { load: number })[]> {
    return this.agentsWithLoad(null, loadStates, now);
  }

  async listIdleWaiting(cutoff: number): Promise<ConversationRow[]> {
    // As conversation-rules.ts autoCloseDue.
    const rows = await this.db.all(
      `SELECT * FROM conversations WHERE state = 'waiting' AND COALESCE(last_inbound_at, created_at) <= ? ORDER BY created_at${this.forUpdate()}`,
      [cutoff],
    );
    return rows.map(toConversation);
  }

  async listLapsedWrapUps(now: number): Promise<ConversationRow[]> {
    // As conversation-rules.ts wrapUpCloseDue.
    const rows = await this.db.all(`SELECT * FROM conversations WHERE state = 'wrapup' AND wrapup_ends_at <= ? ORDER BY created_at${this.forUpdate()}`, [now]);
    return rows.map(toConversation);
  }

  async listQueues(): Promise<QueueRow[]> {
    const queues = await this.db.all<{ id: string; name: string }>('SELECT id, name FROM queues ORDER BY id');
    const members = await this.db.all<{ queue_id: string; agent_id: string }>('SELECT queue_id, agent_id FROM queue_members ORDER BY agent_id');
    const numbers = await this.db.all<{ queue_id: string; number: string }>('SELECT queue_id, number FROM queue_numbers ORDER BY number');
    return queues.map((q) => ({
      id: q.id,
      name: q.name,
      numbers: numbers.filter((n) => n.queue_id === q.id).map((n) => n.number),
      agentIds: members.filter((m) => m.queue_id === q.id).map((m) => m.agent_id),
    }));
  }

  async getQueue(id: string): Promise<QueueRow | null> {
    return (await this.listQueues()).find((q) => q.id === id) ?? null;
  }

  async putQueue(queue: QueueRow): Promise<{ number: string; queueName: string } | null> {
    await this.db.run('INSERT INTO queues (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name', [queue.id, queue.name]);
    await this.db.run('DELETE FROM queue_members WHERE queue_id = ?', [queue.id]);
    await this.db.run('DELETE FROM queue_numbers WHERE queue_id = ?', [queue.id]);
    for (const agentId of new Set(queue.agentIds)) await this.db.run('INSERT INTO queue_members (queue_id, agent_id) VALUES (?, ?)', [queue.id, agentId]);
    // A number routes to one queue: one another queue holds is not taken but reported (the
    // unique number settles two supervisors saving at once).
    for (const number of new Set(queue.numbers)) {
      if ((await this.db.run('INSERT INTO queue_numbers (number, queue_id) VALUES (?, ?) ON CONFLICT (number) DO NOTHING', [number, queue.id])) > 0) continue;
      const holder = await this.one<{ name: string }>('SELECT q.name FROM queue_numbers n JOIN queues q ON q.id = n.queue_id WHERE n.number = ?', [number]);
      return { number, queueName: holder?.name ?? '' };
    }
    return null;
  }

  async queueCounts(queueId: string | null): Promise<QueueCountsRow[]> {
    const rows = await this.db.all<{ queue_id: string; waiting: number; since: number | null }>(
      `SELECT queue_id, COUNT(*) AS waiting, MIN(${WAITING_FROM}) AS since FROM conversations
       WHERE state = 'open'${queueId === null ? '' : ' AND queue_id = ?'} GROUP BY queue_id`,
      queueId === null ? [] : [queueId],
    );
    return rows.map((r) => ({ queueId: r.queue_id, waiting: Number(r.waiting), longestWaitSince: r.since === null ? null : Number(r.since) }));
  }

  async countLiveConversations(): Promise<number> {
    const r = await this.one<{ n: number }>(`SELECT COUNT(*) AS n FROM conversations WHERE state IN (${LIVE_STATES_SQL})`);
    return Number(r?.n ?? 0);
  }

  async listLiveConversations(limit: number): Promise<(ConversationRow & { sentiment: MessageSentiment | null })[]> {
    const rows = await this.db.all(
      `SELECT c.*, (SELECT m.sentiment FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound' ORDER BY m.seq DESC LIMIT 1) AS latest_sentiment
       FROM conversations c WHERE c.state IN (${LIVE_STATES_SQL}) ORDER BY c.created_at DESC LIMIT ?`,
      [limit],
    );
    return rows.map((r) => ({ ...toConversation(r), sentiment: r.latest_sentiment ? json<MessageSentiment>(r.latest_sentiment) : null }));
  }

  // ---------------------------------------------------------------- WhatsApp fidelity

  async markFirstReply(conversationId: string, at: number): Promise<boolean> {
    return (await this.db.run('UPDATE conversations SET first_reply_at = ? WHERE id = ? AND first_reply_at IS NULL', [at, conversationId])) === 1;
  }

  async recordConsent(entry: ConsentEntry): Promise<ConversationRow[]> {
    // 1/0: SQLite binds no booleans; PostgreSQL reads '1'/'0' as a boolean.
    const optedOut = entry.optedOut ? 1 : 0;
    await this.db.run('INSERT INTO consent_log (customer_phone, business_phone, opted_out, cause, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      entry.customerPhone,
      entry.businessPhone,
      optedOut,
      entry.cause,
      entry.messageId,
      entry.createdAt,
    ]);
    const rows = await this.db.all('UPDATE conversations SET opted_out = ?, updated_at = ? WHERE customer_phone = ? AND business_phone = ? RETURNING *', [
      optedOut,
      entry.createdAt,
      entry.customerPhone,
      entry.businessPhone,
    ]);
    return rows.map(toConversation);
  }

  async consentLog(customerPhone: string, businessPhone: string): Promise<ConsentEntry[]> {
    return (await this.db.all('SELECT * FROM consent_log WHERE customer_phone = ? AND business_phone = ? ORDER BY id', [customerPhone, businessPhone])).map(toConsentEntry);
  }

  async withdrawQueued(conversationIds: readonly string[]): Promise<string[]> {
    if (conversationIds.length === 0) return [];
    const rows = await this.db.all<{ message_id: string }>(
      `DELETE FROM outbox WHERE state = 'pending' AND message_id IN (SELECT id FROM messages WHERE conversation_id IN (${placeholders(conversationIds.length)}))
       RETURNING message_id`,
      conversationIds,
    );
    return rows.map((r) => r.message_id);
  }

  // ---------------------------------------------------------------- CRM sync

  /** ` FOR UPDATE SKIP LOCKED` where rows can be held by another instance's writer. */
  protected abstract skipLocked(): string;

  async crmCursor(forUpdate = true): Promise<number> {
    return Number((await this.one<{ event_id: number }>(`SELECT event_id FROM crm_sync_cursor WHERE id = 1${forUpdate ? this.forUpdate() : ''}`))!.event_id);
  }

  async setCrmCursor(eventId: number): Promise<void> {
    await this.db.run('UPDATE crm_sync_cursor SET event_id = ? WHERE id = 1', [eventId]);
  }

  async markCrmDue(conversationId: string, at: number): Promise<void> {
    await this.db.run(
      `INSERT INTO crm_sync (conversation_id, due_at) VALUES (?, ?)
       ON CONFLICT (conversation_id) DO UPDATE SET version = crm_sync.version + 1, due_at = excluded.due_at, attempts = 0, failed_at = NULL, last_error = NULL`,
      [conversationId, at],
    );
  }

  async claimCrmWrites(now: number, leaseUntil: number, limit: number): Promise<CrmWrite[]> {
    const rows = await this.db.all(
      `SELECT * FROM crm_sync WHERE failed_at IS NULL AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?) ORDER BY due_at LIMIT ?${this.skipLocked()}`,
      [now, now, limit],
    );
    for (const r of rows) await this.db.run('UPDATE crm_sync SET lease_until = ?, attempts = attempts + 1 WHERE conversation_id = ?', [leaseUntil, r.conversation_id]);
    return rows.map((r) => ({ ...toCrmWrite(r), attempts: Number(r.attempts) + 1 }));
  }

  async finishCrmWrite(conversationId: string, version: number): Promise<boolean> {
    if ((await this.db.run('DELETE FROM crm_sync WHERE conversation_id = ? AND version = ?', [conversationId, version])) > 0) return true;
    return (await this.db.run('UPDATE crm_sync SET lease_until = NULL WHERE conversation_id = ?', [conversationId])) > 0;
  }

  async retryCrmWrite(conversationId: string, dueAt: number, error: string): Promise<void> {
    await this.db.run('UPDATE crm_sync SET due_at = ?, lease_until = NULL, last_error = ? WHERE conversation_id = ?', [dueAt, error, conversationId]);
  }

  async failCrmWrite(conversationId: string, at: number, error: string): Promise<void> {
    await this.db.run('UPDATE crm_sync SET failed_at = ?, lease_until = NULL, last_error = ? WHERE conversation_id = ?', [at, error, conversationId]);
  }

  async listFailedCrmWrites(limit: number): Promise<CrmWrite[]> {
    return (await this.db.all('SELECT * FROM crm_sync WHERE failed_at IS NOT NULL ORDER BY failed_at DESC LIMIT ?', [limit])).map(toCrmWrite);
  }
}

function toCrmWrite(r: Raw): CrmWrite {
  return {
    conversationId: String(r.conversation_id),
    version: Number(r.version),
    attempts: Number(r.attempts),
    failedAt: r.failed_at === null || r.failed_at === undefined ? null : Number(r.failed_at),
    lastError: (r.last_error as string | null) ?? null,
  };
}
