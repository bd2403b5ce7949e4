/**
 * What only PostgreSQL does its own way: event ids drawn at commit under a lock (so they
 * become visible in commit order) and announced to the other instances by a NOTIFY in the
 * same COMMIT, the webhook in one statement, the outbox claimed with SKIP LOCKED, row and
 * advisory locks, and tsvector search.
 */
import type pg from 'pg';
import type { RelayEventType } from '@wcp/protocol';
import type { InboundRecord, OutboxItem, SearchRow, StoredEvent, StoredEventData } from '../port.ts';
import { toConversation, toMessage, toOutboxItem } from '../rows.ts';
import { customerNextSend, JOINS_CUSTOMER_MESSAGES, MESSAGE_FIELDS, MESSAGE_SELECT, OPEN_TEAM_COLUMNS, OPEN_TEAM_VALUES, SqlTx, jsonText, type Raw, type SearchColumns, type SqlDriver } from '../sql/sql-tx.ts';
import { dictionaryWordBreaks, searchTerms, searchUnits, snippetLength, UNSPACED_CLASS_PG } from '../sql/search-terms.ts';
import type { InboundIds, SlotWindow, StoredInbound } from '../tx.ts';
import { announceWrittenEvents, mayCarry, wakeUpPayload } from './wake-ups.ts';

/** `?` placeholders numbered as PostgreSQL wants them ($1, $2, ...), once per SQL text. */
const numbered = new Map<string, string>();
function toPg(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, text);
  }
  return text;
}

/** A pooled connection (in a transaction) or the pool itself (reads), speaking SqlTx's SQL. */
export class PgDriver implements SqlDriver {
  constructor(readonly queryable: pg.Pool | pg.PoolClient) {}

  async all<T = Raw>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.queryable.query(toPg(sql), params as unknown[])).rows as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.queryable.query(toPg(sql), params as unknown[])).rowCount ?? 0;
  }
}

/**
 * An inbound webhook in one statement (one round trip). `dup`: the MessageSid is already
 * stored (by us, an earlier unit of this group, or another instance) — nothing is written
 * and the stored message comes back. Otherwise `conv` opens the customer's conversation or
 * joins the one a message joins (JOINS_CUSTOMER_MESSAGES: not one in wrap-up): the upsert on
 * conversations_one_open is atomic across instances (it waits out a concurrent insert or a
 * change of state, then inserts or updates), and locks the row, which
 * orders one conversation's messages. `last_inbound_at` becomes the newer of the stored one
 * and this message's, as window/policy.ts reopenWindow says (GREATEST ignores NULL). Two
 * instances storing one MessageSid at once meet on messages_twilio_sid_key; the loser's unit
 * runs again and lands in `dup`.
 *
 * $1 sid, $2 new conversation id, $3 from, $4 profile name, $5 wa id, $6 to, $7 received at,
 * $8 message id, $9 replied-to sid, $10-$12 media ids, content types and URLs, $13 body,
 * $14 media refs, $15 sentiment, $16 WhatsApp extras, $17 referral (kept when the message opens
 * the conversation), $18 the body's search_text (SEARCH_TEXT), and the new conversation's consent
 * from the newest consent_log entry.
 */
const RECORD_INBOUND = `
WITH dup AS (
  ${MESSAGE_SELECT} WHERE m.twilio_sid = $1::text
), conv AS (
  INSERT INTO conversations (id, state, customer_phone, profile_name, wa_id, business_phone, last_inbound_at, referral, opted_out, created_at, updated_at, ${OPEN_TEAM_COLUMNS})
  SELECT $2::text, 'open', $3::text, $4::text, $5::text, $6::text, $7::bigint, $17::jsonb,
    COALESCE((SELECT l.opted_out FROM consent_log l WHERE l.customer_phone = $3::text AND l.business_phone = $6::text ORDER BY l.id DESC LIMIT 1), false),
    $7::bigint, $7::bigint, ${OPEN_TEAM_VALUES('$6::text', '$3::text')}
  WHERE NOT EXISTS (SELECT 1 FROM dup)
  ON CONFLICT (customer_phone, business_phone) WHERE ${JOINS_CUSTOMER_MESSAGES} DO UPDATE SET
    last_inbound_at = GREATEST(conversations.last_inbound_at, excluded.last_inbound_at),
    profile_name = COALESCE(excluded.profile_name, conversations.profile_name),
    wa_id = COALESCE(excluded.wa_id, conversations.wa_id),
    updated_at = excluded.updated_at
  RETURNING *
), reply AS (
  SELECT id, body FROM messages WHERE twilio_sid = $9::text
), media_rows AS (
  INSERT INTO media (id, conversation_id, content_type, source_url, created_at)
  SELECT u.id, conv.id, u.content_type, u.url, $7::bigint FROM conv, unnest($10::text[], $11::text[], $12::text[]) AS u (id, content_type, url)
), msg AS (
  INSERT INTO messages (id, conversation_id, direction, body, status, twilio_sid, media, reply_to_sid, reply_to_id, sentiment, whatsapp, created_at, search_text)
  SELECT $8::text, conv.id, 'inbound', $13::text, 'received', $1::text, $14::jsonb, $9::text, (SELECT id FROM reply), $15::jsonb, $16::jsonb, $7::bigint, $18::text FROM conv
  RETURNING ${MESSAGE_FIELDS}
)
SELECT (SELECT to_jsonb(dup) FROM dup) AS dup_message,
  (SELECT to_jsonb(c) FROM conversations c WHERE c.id = (SELECT conversation_id FROM dup)) AS dup_conversation,
  (SELECT to_jsonb(conv) FROM conv) AS conversation,
  (SELECT to_jsonb(msg) || jsonb_build_object('reply_body', (SELECT body FROM reply)) FROM msg) AS message`;

/**
 * A message body as transcript search reads it: a mark (U+0001, a blank to the parser in any
 * locale) on each side of every run of ASCII punctuation, so PostgreSQL's parser finds the words
 * SQLite's unicode61 tokenizer and searchTerms find, not an email, url, host or signed number
 * ("-2024") glued out of them; on each side of every Han or kana character, so each is a word of
 * its own; and between the words of Thai, Lao, Khmer and Myanmar, which only JavaScript can find
 * and which the message's search_text holds (sql/search-terms.ts searchableText, which SQLite's
 * index reads, does the last two). The index messages_search_document
 * (migrations/017_search_dictionary_scripts.sql) is built on exactly this expression: the
 * planner uses it only while the two stay the same.
 */
export const SEARCH_TEXT = `regexp_replace(regexp_replace(COALESCE(m.search_text, m.body), '[!-/:-@\\[-\`{-~]+', chr(1) || '\\&' || chr(1), 'g'), '${UNSPACED_CLASS_PG}', chr(1) || '\\&' || chr(1), 'g')`;
export const SEARCH_DOCUMENT = `to_tsvector('wcp_search', ${SEARCH_TEXT})`;

/**
 * ts_headline options: plain text (the widget renders it as text), about as long as SQLite's
 * snippet and, as it does, with words on both sides of the match (one fragment; without it the
 * headline starts at the matched word: "example.com" cut from "jane@example.com").
 */
function headlineOptions(words: readonly string[]): string {
  const length = snippetLength(words);
  return `StartSel="", StopSel="", MaxWords=${length}, MinWords=${Math.round(length / 2.4)}, ShortWord=0, MaxFragments=1`;
}

/**
 * A PostgreSQL prefix tsquery of the agent's words, all required: "track" finds "tracking". A
 * word in Han or kana is the phrase of its characters, side by side ("包 <-> 裹:*").
 */
export function tsPrefixQuery(words: readonly string[]): string | null {
  return words.length ? words.map((w) => `${searchUnits(w).join(' <-> ')}:*`).join(' & ') : null;
}

/** Where a transaction that wrote events tells the other instances (store/postgres/wake-ups.ts). */
export interface EventAnnouncement {
  channel: string;
  /** This instance's id: its own bus ignores the wake-up (its streams had the events handed over). */
  origin: string;
}

/**
 * One transaction on one pooled connection (or, for reads, the pool). Events are buffered
 * and written at commit; the objects emit() returned get their ids then.
 */
export class PgTx extends SqlTx {
  private pending: StoredEvent[] = [];
  /** The newest event id this transaction wrote before commit (appendEvent), to announce at commit. */
  private written: number | null = null;

  constructor(
    private readonly driver: PgDriver,
    /** Advisory lock keys are database-wide: the Database names them by schema. */
    private readonly lockKey: (what: string) => string,
    private readonly announcement: EventAnnouncement,
    /** The connection sends a query without waiting for the one before (pg's pipeline mode): see commit(). */
    private readonly pipelined = false,
  ) {
    super(driver);
  }

  protected forUpdate(table?: string): string {
    return table ? ` FOR UPDATE OF ${table}` : ' FOR UPDATE';
  }

  protected skipLocked(): string {
    return ' FOR UPDATE SKIP LOCKED';
  }

  protected searchColumns(body: string): SearchColumns {
    return { names: ', search_text', placeholders: ', ?', values: [dictionaryWordBreaks(body)] };
  }

  /** The event with id 0 until the commit (or an appendEvent) draws its id and sets it. */
  emit<K extends RelayEventType>(type: K, agentId: string | null, data: StoredEventData[K]): StoredEvent<K> {
    const event: StoredEvent<K> = { id: 0, type, agentId, data };
    this.pending.push(event);
    return event;
  }

  async appendEvent<K extends RelayEventType>(type: K, agentId: string | null, data: StoredEventData[K]): Promise<number> {
    const event = this.emit(type, agentId, data);
    await this.flushEvents();
    return event.id;
  }

  /** How many events are buffered: a group-commit unit rolled back to its savepoint drops what it emitted. */
  mark(): number {
    return this.pending.length;
  }

  dropEventsAfter(mark: number): void {
    this.pending.length = mark;
  }

  /** Serializes this transaction with others naming the same key, until commit. */
  async lockSid(sid: string): Promise<void> {
    await this.driver.queryable.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [this.lockKey(`sid:${sid}`)]);
  }

  /**
   * Writes the buffered events, just before commit. Identity values are handed out when
   * a row is inserted, not when it commits, so without care a reader could see id 8
   * committed, move its cursor past it, and never see id 7 that committed a moment later.
   * A transaction-scoped advisory lock taken here, held until commit, lets one
   * transaction at a time allocate event ids: ids become visible in commit order. It is
   * taken last and only around this one INSERT, so it serializes little — and it cannot
   * deadlock, because nothing waits on another lock while holding it. The lock is taken
   * by the same statement: every row the INSERT numbers comes out of the join with the
   * materialized lock, so the lock is held before the first id is drawn.
   */
  private async flushEvents(): Promise<void> {
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    const [lockKey, types, agentIds, data] = EVENT_COMMIT_PARAMETERS;
    const result = await this.driver.queryable.query<{ id: number }>(`${lockedEventInsert(lockKey, types, agentIds, data)} RETURNING id`, [
      this.lockKey('events'),
      ...eventColumns(events),
    ]);
    this.numbered(events, result.rows.map((r) => r.id));
  }

  /** The ids the INSERT drew, in the order the events were given (see lockedEventInsert), onto the events. */
  private numbered(events: StoredEvent[], ids: number[]): void {
    ids.sort((a, b) => a - b);
    for (const [i, event] of events.entries()) event.id = ids[i]!;
    this.written = ids.at(-1) ?? this.written;
  }

  /**
   * Writes the buffered events (as flushEvents), announces them and commits, in one round
   * trip: the event-id lock is then held only while PostgreSQL inserts and commits, never
   * while a busy relay's event loop gets round to sending COMMIT — with several instances,
   * that wait was where transactions queued for the lock.
   *
   * The announcement is a pg_notify in this transaction: PostgreSQL delivers it when (and
   * only if) the COMMIT makes the events visible, in commit order, to every instance's
   * listening connection — no round trip or connection of its own after the commit, and
   * never before the events can be read. It names the newest id written, so a reader
   * already past it skips the read, and carries the events when they fit, so a reader just
   * before them skips it too (EventHub). Because ids are drawn under the event-id lock
   * (flushEvents), every smaller id is committed or gone for good by then.
   *
   * On a pipelined connection (the group commits') the statement is prepared once per
   * connection and COMMIT follows it without waiting for its answer: PostgreSQL then neither
   * parses nor plans it again, about half of what a commit costs it (test/bench/README.md).
   * Elsewhere the values go in as literals quoted by pg's escapeLiteral, with COMMIT in the
   * same simple query. Either way, if the statement fails the COMMIT commits nothing
   * (PostgreSQL ends the failed transaction) and commit() fails.
   */
  async commit(): Promise<void> {
    const client = this.driver.queryable as pg.PoolClient;
    const literal = (v: string | null) => (v === null ? 'NULL' : client.escapeLiteral(v));
    const { channel, origin } = this.announcement;
    if (this.pending.length === 0) {
      const announce = this.written === null ? '' : `SELECT pg_notify(${literal(channel)}, ${literal(wakeUpPayload('events', origin, this.written))});\n`;
      await client.query(`${announce}COMMIT`);
      return;
    }
    const events = this.pending;
    this.pending = [];
    const [types, agentIds, data] = eventColumns(events);
    const prefix = `${wakeUpPayload('events', origin)}:`;
    // Carrying the events when they may fit: a busy group's would not, and building their JSON
    // under the event-id lock would only lengthen the serial part of every instance's commits.
    const carry = mayCarry(events, data);
    let ids: string;
    if (this.pipelined) {
      const [result] = await Promise.all([
        client.query<{ ids: string }>({
          ...PREPARED_EVENTS_COMMIT[carry ? 'carried' : 'named'],
          values: [this.lockKey('events'), types, agentIds, data, channel, prefix],
        }),
        client.query('COMMIT'),
      ]);
      ids = result.rows[0]!.ids;
    } else {
      const array = (values: (string | null)[], type: string) => `ARRAY[${values.map(literal).join(', ')}]::${type}[]`;
      const inputs = [literal(this.lockKey('events')), array(types, 'text'), array(agentIds, 'text'), array(data, 'json'), literal(channel), literal(prefix)] as const;
      const results = (await client.query(`${writeAndAnnounceEvents(inputs, carry)};\nCOMMIT`)) as unknown as pg.QueryResult<{ ids: string }>[];
      ids = results[0]!.rows[0]!.ids;
    }
    this.numbered(events, parseIds(ids));
  }

  /** One statement (see RECORD_INBOUND), prepared once per pooled connection: later calls skip parsing and planning. */
  async storeInbound(inbound: InboundRecord, ids: InboundIds): Promise<StoredInbound> {
    const result = await this.driver.queryable.query<{ dup_message: Raw | null; dup_conversation: Raw | null; conversation: Raw | null; message: Raw | null }>({
      name: 'wcp_record_inbound',
      text: RECORD_INBOUND,
      values: [
        inbound.messageSid,
        ids.conversationId,
        inbound.from,
        inbound.profileName,
        inbound.waId,
        inbound.to,
        inbound.receivedAt,
        ids.messageId,
        inbound.originalRepliedMessageSid,
        ids.mediaIds,
        inbound.media.map((m) => m.contentType),
        inbound.media.map((m) => m.url),
        inbound.body,
        JSON.stringify(ids.mediaIds.map((id, i) => ({ id, contentType: inbound.media[i]!.contentType, filename: null, size: null }))),
        JSON.stringify(inbound.sentiment),
        jsonText(inbound.whatsapp),
        jsonText(inbound.referral),
        dictionaryWordBreaks(inbound.body),
      ],
    });
    const r = result.rows[0]!;
    if (r.dup_message) return { duplicate: true, conversation: toConversation(r.dup_conversation!), message: toMessage(r.dup_message) };
    const conversation = toConversation(r.conversation!);
    return { duplicate: false, conversation, message: toMessage(r.message!), opened: conversation.id === ids.conversationId };
  }

  async dueOutbox(now: number, perSender: number, limit: number, sender: string | null, slots: SlotWindow): Promise<OutboxItem[]> {
    // SKIP LOCKED: instances claiming at once take disjoint items instead of queueing.
    // Senders are ranked without locks; locking happens on the outer rows.
    const ofSender = sender === null ? '' : ' AND o2.sender = ?';
    const rows = await this.db.all(
      `SELECT o.*, m.body, m.media, m.template, m.whatsapp, m.conversation_id FROM outbox o JOIN messages m ON m.id = o.message_id
       WHERE o.message_id IN (
         SELECT ranked.message_id FROM (
           SELECT o2.message_id,
                  ROW_NUMBER() OVER (PARTITION BY o2.sender ORDER BY o2.next_attempt_at, m2.seq) AS sender_rank,
                  GREATEST(COALESCE(s.next_slot_at, 0), ?::float8) AS first_slot
           FROM outbox o2 JOIN messages m2 ON m2.id = o2.message_id LEFT JOIN sender_slots s ON s.sender = o2.sender
           WHERE ((o2.state = 'pending' AND o2.next_attempt_at <= ?) OR (o2.state = 'inflight' AND o2.lease_until <= ?))${ofSender}
             AND ${customerNextSend('o2', 'm2')}
         ) ranked WHERE ranked.sender_rank <= ? AND ranked.first_slot + (ranked.sender_rank - 1) * ?::float8 <= ?::float8
       )
       AND ((o.state = 'pending' AND o.next_attempt_at <= ?) OR (o.state = 'inflight' AND o.lease_until <= ?))
       ORDER BY o.next_attempt_at, m.seq LIMIT ? FOR UPDATE OF o SKIP LOCKED`,
      [now, now, now, ...(sender === null ? [] : [sender]), perSender, slots.interval, slots.until, now, now, limit],
    );
    return rows.map((r) => toOutboxItem(r, 0));
  }

  async searchMessages(visibleTo: string | null, query: string, limit: number): Promise<SearchRow[]> {
    const words = searchTerms(query);
    const match = tsPrefixQuery(words);
    if (!match) return [];
    const rows = await this.db.all(
      `SELECT m.id AS message_id, m.direction, m.created_at AS message_created_at,
              ts_headline('wcp_search', ${SEARCH_TEXT}, q, ?) AS snippet, c.*
       FROM to_tsquery('wcp_search', ?) q, messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE ${SEARCH_DOCUMENT} @@ q ${visibleTo === null ? '' : 'AND c.assigned_agent_id = ?'}
       ORDER BY m.seq DESC LIMIT ?`,
      [headlineOptions(words), match, ...(visibleTo === null ? [] : [visibleTo]), limit],
    );
    // The headline is cut from the marked text, so that it centres on the word that matched
    // (toSearchRow takes the marks out).
    return rows.map((r) => this.toSearchRow(r));
  }
}

/**
 * The one statement that appends events, given SQL for its inputs (parameters, or quoted
 * literals when it shares a round trip with COMMIT): it takes the event-id lock before the
 * first id is drawn (see PgTx.flushEvents), and numbers the events in the order given.
 */
function lockedEventInsert(lockKey: string, types: string, agentIds: string, data: string): string {
  return `WITH lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0)))
INSERT INTO events (type, agent_id, data)
SELECT e.type, e.agent_id, e.data FROM lock, unnest(${types}, ${agentIds}, ${data}) WITH ORDINALITY AS e (type, agent_id, data, n)
ORDER BY e.n`;
}

/** The events' columns as the events INSERT takes them: types, agent ids, and data as JSON. */
function eventColumns(events: readonly StoredEvent[]): [types: string[], agentIds: (string | null)[], data: string[]] {
  return [events.map((e) => e.type), events.map((e) => e.agentId), events.map((e) => JSON.stringify(e.data))];
}

/** SQL for the event-id lock key, the events' types, agent ids and data, the wake-up's channel and its payload's prefix. */
type EventCommitInputs = readonly [lockKey: string, types: string, agentIds: string, data: string, channel: string, prefix: string];

/**
 * The events INSERT and the wake-up that announces it, as one statement whose one row holds the
 * ids drawn (the aggregate runs pg_notify once, naming the newest id, carrying the events when
 * `carry` and they fit: wake-ups.ts).
 */
function writeAndAnnounceEvents(inputs: EventCommitInputs, carry: boolean): string {
  const [lockKey, types, agentIds, data, channel, prefix] = inputs;
  return `WITH written AS (${lockedEventInsert(lockKey, types, agentIds, data)} RETURNING ${carry ? 'id, type, agent_id, data' : 'id'})
${announceWrittenEvents(channel, prefix, 'written', carry)}`;
}

/**
 * The inputs as parameters: $1 lock key, $2–$4 eventColumns, $5 channel, $6 prefix. The first
 * four are flushEvents' INSERT; all six, writeAndAnnounceEvents prepared once per pipelined
 * connection (PgTx.commit).
 */
const EVENT_COMMIT_PARAMETERS: EventCommitInputs = ['$1::text', '$2::text[]', '$3::text[]', '$4::json[]', '$5::text', '$6::text'];
const PREPARED_EVENTS_COMMIT = {
  named: { name: 'wcp_commit_events', text: writeAndAnnounceEvents(EVENT_COMMIT_PARAMETERS, false) },
  carried: { name: 'wcp_commit_events_carried', text: writeAndAnnounceEvents(EVENT_COMMIT_PARAMETERS, true) },
};

/** `{7,8,9}`, an int8[] as text (pg's array parser would hand back strings). */
function parseIds(text: string): number[] {
  return text.slice(1, -1).split(',').map(Number);
}
