/** What only SQLite does its own way: events numbered as written, the webhook's statements, the outbox claim, FTS5 search. */
import type Database from 'better-sqlite3';
import type { RelayEventType } from '@wcp/protocol';
import type { InboundRecord, MediaRef, OutboxItem, SearchRow, StoredEvent, StoredEventData } from '../port.ts';
import { toConversation, toMessage, toOutboxItem } from '../rows.ts';
import { customerNextSend, JOINS_CUSTOMER_MESSAGES, OPEN_TEAM_COLUMNS, OPEN_TEAM_VALUES, SqlTx, jsonText, type Raw, type SearchColumns, type SqlDriver } from '../sql/sql-tx.ts';
import { searchableText, searchTerms, snippetLength } from '../sql/search-terms.ts';
import type { InboundIds, SlotWindow, StoredInbound } from '../tx.ts';

export class SqliteTx extends SqlTx {
  constructor(
    db: SqlDriver,
    /** The synchronous form of a write, for events: their ids are known as they are written. */
    private readonly runSync: (sql: string, params: readonly unknown[]) => Database.RunResult,
    /** Brings the search index up to the newest committed message (it is filled in batches after commits). */
    private readonly indexForSearch: () => void,
  ) {
    super(db);
  }

  protected forUpdate(): string {
    return '';
  }

  protected skipLocked(): string {
    return '';
  }

  protected searchColumns(): SearchColumns {
    return { names: '', placeholders: '', values: [] };
  }

  emit<K extends RelayEventType>(type: K, agentId: string | null, data: StoredEventData[K]): StoredEvent<K> {
    const r = this.runSync('INSERT INTO events (type, agent_id, data) VALUES (?, ?, ?)', [type, agentId, JSON.stringify(data)]);
    return { id: Number(r.lastInsertRowid), type, agentId, data };
  }

  async appendEvent<K extends RelayEventType>(type: K, agentId: string | null, data: StoredEventData[K]): Promise<number> {
    return this.emit(type, agentId, data).id;
  }

  /** One writer: nothing runs between these statements, so they need no single-statement form. */
  async storeInbound(inbound: InboundRecord, ids: InboundIds): Promise<StoredInbound> {
    const existing = await this.findMessageBySid(inbound.messageSid);
    if (existing) return { duplicate: true, conversation: (await this.getConversation(existing.conversationId))!, message: existing };

    const now = inbound.receivedAt;
    // The pair's conversation the message joins is found by the UPDATE itself (at most one: the
    // conversations_one_open index), one statement fewer per webhook than a SELECT first.
    const open = await this.one(
      // The newest inbound time wins (window/policy.ts reopenWindow).
      `UPDATE conversations SET last_inbound_at = MAX(COALESCE(last_inbound_at, ?), ?), profile_name = COALESCE(?, profile_name),
         wa_id = COALESCE(?, wa_id), updated_at = ? WHERE customer_phone = ? AND business_phone = ? AND ${JOINS_CUSTOMER_MESSAGES} RETURNING *`,
      [now, now, inbound.profileName, inbound.waId, now, inbound.from, inbound.to],
    );
    const raw =
      open ??
      (await this.one(
        // A new conversation takes the pair's consent from the newest consent log entry, and its queue from the business number.
        `INSERT INTO conversations (id, state, customer_phone, profile_name, wa_id, business_phone, last_inbound_at, referral, opted_out, created_at, updated_at, ${OPEN_TEAM_COLUMNS})
         VALUES (?, 'open', ?, ?, ?, ?, ?, ?, COALESCE((SELECT l.opted_out FROM consent_log l WHERE l.customer_phone = ? AND l.business_phone = ? ORDER BY l.id DESC LIMIT 1), 0), ?, ?, ${OPEN_TEAM_VALUES('?', '?')}) RETURNING *`,
        [ids.conversationId, inbound.from, inbound.profileName, inbound.waId, inbound.to, now, jsonText(inbound.referral), inbound.from, inbound.to, now, now, inbound.to, inbound.from, inbound.to],
      ));
    const conversation = toConversation(raw!);

    const media: MediaRef[] = [];
    for (const [i, m] of inbound.media.entries()) {
      const id = ids.mediaIds[i]!;
      await this.db.run(`INSERT INTO media (id, conversation_id, content_type, source_url, created_at) VALUES (?, ?, ?, ?, ?)`, [id, conversation.id, m.contentType, m.url, now]);
      media.push({ id, contentType: m.contentType, filename: null, size: null });
    }
    const replyTo = inbound.originalRepliedMessageSid
      ? await this.one<{ id: string; body: string }>('SELECT id, body FROM messages WHERE twilio_sid = ?', [inbound.originalRepliedMessageSid])
      : undefined;
    const inserted = await this.one(
      `INSERT INTO messages (id, conversation_id, direction, body, status, twilio_sid, media, reply_to_sid, reply_to_id, sentiment, whatsapp, created_at)
       VALUES (?, ?, 'inbound', ?, 'received', ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [
        ids.messageId,
        conversation.id,
        inbound.body,
        inbound.messageSid,
        JSON.stringify(media),
        inbound.originalRepliedMessageSid,
        replyTo?.id ?? null,
        JSON.stringify(inbound.sentiment),
        jsonText(inbound.whatsapp),
        now,
      ],
    );
    // RETURNING saves reading the row back; the quoted message's body is the join MESSAGE_SELECT would add.
    const message = toMessage({ ...inserted, reply_body: replyTo?.body ?? null });
    return { duplicate: false, conversation, message, opened: !open };
  }

  async dueOutbox(now: number, perSender: number, limit: number, sender: string | null, slots: SlotWindow): Promise<OutboxItem[]> {
    const rows = await this.db.all(
      `SELECT * FROM (
         SELECT o.*, m.body, m.media, m.template, m.whatsapp, m.conversation_id, m.seq,
                ROW_NUMBER() OVER (PARTITION BY o.sender ORDER BY o.next_attempt_at, m.seq) AS sender_rank,
                MAX(COALESCE(s.next_slot_at, 0), ?) AS first_slot
         FROM outbox o JOIN messages m ON m.id = o.message_id LEFT JOIN sender_slots s ON s.sender = o.sender
         WHERE ((o.state = 'pending' AND o.next_attempt_at <= ?) OR (o.state = 'inflight' AND o.lease_until <= ?))${sender === null ? '' : ' AND o.sender = ?'}
           AND ${customerNextSend('o', 'm')}
       ) WHERE sender_rank <= ? AND first_slot + (sender_rank - 1) * ? <= ? ORDER BY next_attempt_at, seq LIMIT ?`,
      [now, now, now, ...(sender === null ? [] : [sender]), perSender, slots.interval, slots.until, limit],
    );
    return rows.map((r) => toOutboxItem(r, 0));
  }

  async lockSid(): Promise<void> {
    // One writer at a time: every transaction is already serialized.
  }

  async searchMessages(visibleTo: string | null, query: string, limit: number): Promise<SearchRow[]> {
    const words = searchTerms(query);
    if (words.length === 0) return [];
    // Each word a quoted prefix term, all required: FTS5 operators typed by the agent are never
    // interpreted. A word in Han or kana is indexed character by character: quoted, its marked
    // text is the phrase of those characters side by side.
    const match = words.map((w) => `"${searchableText(w)}"*`).join(' ');
    this.indexForSearch();
    const rows = await this.db.all<Raw>(
      `SELECT m.id AS message_id, m.direction, m.created_at AS message_created_at,
              snippet(messages_fts, 0, '', '', '…', ?) AS snippet, c.*
       FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid JOIN conversations c ON c.id = m.conversation_id
       WHERE messages_fts MATCH ? ${visibleTo === null ? '' : 'AND c.assigned_agent_id = ?'}
       ORDER BY messages_fts.rowid DESC LIMIT ?`,
      [snippetLength(words), match, ...(visibleTo === null ? [] : [visibleTo]), limit],
    );
    return rows.map((r) => this.toSearchRow(r));
  }
}
