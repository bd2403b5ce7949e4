/**
 * The embedded Store: SQLite through better-sqlite3, WAL mode, synchronous commits.
 * better-sqlite3 is synchronous, so every method runs as one immediate transaction and
 * resolves after commit — "written durably, then answered".
 */
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toApiConversation, toApiMessage, toApiNote } from '../../api-mapping.ts';
import { DomainError, notFound } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { canTransition } from '@wcp/protocol/states';
import { nextStatus } from '@wcp/protocol/status-order';
import type {
  AgentScript,
  ConversationState,
  MessageStatus,
  MessageTemplate,
  Presence,
  QuickReply,
  RecordRef,
  RelayEvents,
  RelayEventType,
} from '@wcp/protocol';
import { reopenWindow } from '../../window/policy.ts';
import type {
  AgentRow,
  ConversationRow,
  InboundRecord,
  InboundResult,
  MediaRef,
  MediaRow,
  MessageRow,
  NoteRow,
  OutboundRecord,
  OutboxItem,
  RoutingSnapshot,
  SearchRow,
  SendResultRecord,
  Store,
  StoredEvent,
  Viewer,
} from '../port.ts';
import { audienceOf, toAgent, toConversation, toMedia, toMessage, toNote, toOutboxItem } from '../rows.ts';
import { MAX_CLAIM_PER_SENDER, OUTBOX_LEASE_MS, PACING_LOOKAHEAD_MS, SEND_INTERVAL_MS, ftsQuery } from '../shared.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

type Raw = Record<string, unknown>;

const MESSAGE_SELECT = `SELECT m.*, r.body AS reply_body FROM messages m LEFT JOIN messages r ON r.id = m.reply_to_id`;

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private group: { run: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];

  /** `path` is a file path or ':memory:'. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
  }

  /** `sqlite:./data/relay.db` or `sqlite://./data/relay.db` → `./data/relay.db`. */
  static pathFromUrl(url: string): string {
    return url.replace(/^sqlite:(\/\/)?/, '');
  }

  private tx<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(this.db.transaction(fn).immediate());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Group commit for the webhook hot path: units of work queued in the same turn of the
   * event loop share one transaction (one fsync), each inside its own savepoint so a
   * failing one rolls back alone. Every caller is answered only after the shared commit,
   * so "written durably, then acknowledged" still holds. One fsync per webhook was the
   * main cost of durable webhooks (test/bench/README.md).
   */
  private grouped<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.group.push({ run: fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.group.length === 1) setImmediate(() => this.commitGroup());
    });
  }

  private commitGroup(): void {
    const units = this.group;
    this.group = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.db
        .transaction(() => {
          for (const unit of units) {
            try {
              // A transaction function called inside another runs in a savepoint.
              outcomes.push({ ok: true, value: this.db.transaction(unit.run)() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const unit of units) unit.reject(error);
      return;
    }
    units.forEach((unit, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  }

  /**
   * Statements are prepared once per SQL text: preparing on every call was 12 % of the
   * relay's CPU under webhook load (test/bench/README.md). The SQL is fixed text in this
   * file, so the cache stays small.
   */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private get<T = Raw>(sql: string, ...params: unknown[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  private all<T = Raw>(sql: string, ...params: unknown[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  private run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.statement(sql).run(...params);
  }

  async migrate(): Promise<void> {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = new Set(this.all<{ version: string }>('SELECT version FROM schema_migrations').map((r) => r.version));
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()) {
      if (applied.has(file)) continue;
      const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
      this.db.transaction(() => {
        this.db.exec(sql);
        this.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', file, new Date().toISOString());
      }).immediate();
    }
    // One process owns an SQLite file: anything in flight belongs to a process that stopped.
    this.run(`UPDATE outbox SET lease_until = 0 WHERE state = 'inflight'`);
  }

  async ping(): Promise<void> {
    this.get('SELECT 1');
  }

  async metricGauges(): Promise<{ outboxDepth: number; conversations: Array<{ state: string; count: number }> }> {
    const outboxDepth = Number(this.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox')?.n ?? 0);
    const conversations = this.all<{ state: string; count: number }>('SELECT state, COUNT(*) AS count FROM conversations GROUP BY state');
    return { outboxDepth, conversations: conversations.map((c) => ({ state: c.state, count: Number(c.count) })) };
  }

  async close(): Promise<void> {
    if (this.group.length && this.db.open) this.commitGroup();
    if (this.db.open) this.db.close();
  }

  // ---------------------------------------------------------------- events

  private emit<K extends RelayEventType>(type: K, agentId: string | null, data: RelayEvents[K]): number {
    return this.emitStored(type, agentId, data).id;
  }

  /** Appends an event and returns it as the log holds it, for callers that hand it on (see InboundResult.events). */
  private emitStored<K extends RelayEventType>(type: K, agentId: string | null, data: RelayEvents[K]): StoredEvent<K> {
    const r = this.run('INSERT INTO events (type, agent_id, data) VALUES (?, ?, ?)', type, agentId, JSON.stringify(data));
    return { id: Number(r.lastInsertRowid), type, agentId, data };
  }

  private emitConversation(c: ConversationRow): void {
    this.emit('state', audienceOf(c), { conversationId: c.id, conversation: toApiConversation(c) });
  }

  async appendEvent<K extends RelayEventType>(type: K, agentId: string | null, data: RelayEvents[K]): Promise<number> {
    return this.tx(() => this.emit(type, agentId, data));
  }

  async readEvents(viewer: Viewer, afterId: number, limit: number): Promise<StoredEvent[]> {
    const rows = viewer.supervisor
      ? this.all('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?', afterId, limit)
      : this.all('SELECT * FROM events WHERE id > ? AND agent_id = ? ORDER BY id LIMIT ?', afterId, viewer.agentId, limit);
    return rows.map((r) => ({
      id: Number(r.id),
      type: r.type as RelayEventType,
      agentId: (r.agent_id as string | null) ?? null,
      data: JSON.parse(String(r.data)),
    }));
  }

  async latestEventId(): Promise<number> {
    return Number(this.get<{ id: number | null }>('SELECT MAX(id) AS id FROM events')?.id ?? 0);
  }

  // ---------------------------------------------------------------- agents

  async upsertAgent(agent: { id: string; name: string; role: AgentRow['role'] }, capacity: number, now: number): Promise<AgentRow> {
    return this.tx(() => {
      this.run(
        `INSERT INTO agents (id, name, role, presence, capacity, updated_at) VALUES (?, ?, ?, 'offline', ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role`,
        agent.id,
        agent.name,
        agent.role,
        capacity,
        now,
      );
      return toAgent(this.get('SELECT * FROM agents WHERE id = ?', agent.id)!);
    });
  }

  async getAgent(id: string): Promise<AgentRow | null> {
    const r = this.get('SELECT * FROM agents WHERE id = ?', id);
    return r ? toAgent(r) : null;
  }

  async setPresence(agentId: string, presence: Presence, now: number): Promise<AgentRow> {
    return this.tx(() => {
      const r = this.run('UPDATE agents SET presence = ?, updated_at = ? WHERE id = ?', presence, now, agentId);
      if (r.changes === 0) throw notFound('Agent');
      this.emit('presence', agentId, { agentId, presence });
      return toAgent(this.get('SELECT * FROM agents WHERE id = ?', agentId)!);
    });
  }

  // ---------------------------------------------------------------- inbound

  async recordInbound(inbound: InboundRecord): Promise<InboundResult> {
    return this.grouped(() => {
      const existing = this.get(`${MESSAGE_SELECT} WHERE m.twilio_sid = ?`, inbound.messageSid);
      if (existing) {
        const message = toMessage(existing);
        const conversation = toConversation(this.get('SELECT * FROM conversations WHERE id = ?', message.conversationId)!);
        return { duplicate: true, conversation, message, opened: false };
      }

      const now = inbound.receivedAt;
      let raw = this.get(
        `SELECT * FROM conversations WHERE customer_phone = ? AND business_phone = ? AND state <> 'closed'`,
        inbound.from,
        inbound.to,
      );
      let opened = false;
      if (!raw) {
        opened = true;
        raw = this.get(
          `INSERT INTO conversations (id, state, customer_phone, profile_name, wa_id, business_phone, last_inbound_at, created_at, updated_at)
           VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
          newId('cv'),
          inbound.from,
          inbound.profileName,
          inbound.waId,
          inbound.to,
          now,
          now,
          now,
        )!;
      } else {
        const before = toConversation(raw);
        raw = this.get(
          `UPDATE conversations SET last_inbound_at = ?, profile_name = COALESCE(?, profile_name), wa_id = COALESCE(?, wa_id), updated_at = ?
           WHERE id = ? RETURNING *`,
          reopenWindow(before.lastInboundAt, now),
          inbound.profileName,
          inbound.waId,
          now,
          before.id,
        )!;
      }
      const conversation = toConversation(raw);

      const media: MediaRef[] = inbound.media.map((m) => {
        const id = newId('med');
        this.run(
          `INSERT INTO media (id, conversation_id, content_type, source_url, created_at) VALUES (?, ?, ?, ?, ?)`,
          id,
          conversation.id,
          m.contentType,
          m.url,
          now,
        );
        return { id, contentType: m.contentType, filename: null, size: null };
      });
      const replyTo = inbound.originalRepliedMessageSid
        ? this.get<{ id: string; body: string }>('SELECT id, body FROM messages WHERE twilio_sid = ?', inbound.originalRepliedMessageSid)
        : undefined;
      const inserted = this.get(
        `INSERT INTO messages (id, conversation_id, direction, body, status, twilio_sid, media, reply_to_sid, reply_to_id, sentiment, created_at)
         VALUES (?, ?, 'inbound', ?, 'received', ?, ?, ?, ?, ?, ?) RETURNING *`,
        newId('msg'),
        conversation.id,
        inbound.body,
        inbound.messageSid,
        JSON.stringify(media),
        inbound.originalRepliedMessageSid,
        replyTo?.id ?? null,
        JSON.stringify(inbound.sentiment),
        now,
      )!;
      // RETURNING saves reading the row back; the quoted message's body is the join MESSAGE_SELECT would add.
      const message = toMessage({ ...inserted, reply_body: replyTo?.body ?? null });

      const audience = audienceOf(conversation);
      const events: StoredEvent[] = [
        this.emitStored('message', audience, { conversationId: conversation.id, message: toApiMessage(message) }),
        this.emitStored('window', audience, { conversationId: conversation.id, windowExpiresAt: toApiConversation(conversation).windowExpiresAt }),
      ];
      return { duplicate: false, conversation, message, opened, events };
    });
  }

  async applyStatus(update: {
    messageSid: string;
    messageId: string | null;
    status: MessageStatus;
    errorCode: number | null;
    errorMessage: string | null;
    now: number;
  }): Promise<{ applied: boolean; parked: boolean }> {
    return this.grouped(() => {
      let raw = this.get(`${MESSAGE_SELECT} WHERE m.twilio_sid = ?`, update.messageSid);
      if (!raw && update.messageId) {
        // The callback names our message: Twilio has it even though the send result was
        // never recorded (the process stopped mid-send). Adopt the sid; do not resend.
        const mine = this.get(`${MESSAGE_SELECT} WHERE m.id = ? AND m.direction = 'outbound' AND m.twilio_sid IS NULL`, update.messageId);
        if (mine) {
          this.run('UPDATE messages SET twilio_sid = ? WHERE id = ?', update.messageSid, update.messageId);
          this.run('DELETE FROM outbox WHERE message_id = ?', update.messageId);
          raw = this.get(`${MESSAGE_SELECT} WHERE m.id = ?`, update.messageId);
        }
      }
      if (!raw) {
        this.run(
          `INSERT INTO parked_statuses (message_sid, status, error_code, error_message, received_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
          update.messageSid,
          update.status,
          update.errorCode,
          update.errorMessage,
          update.now,
        );
        return { applied: false, parked: true };
      }
      return { applied: this.advanceStatus(toMessage(raw), update.status, update.errorCode, update.errorMessage), parked: false };
    });
  }

  /** Moves a message's status forward only; emits a status event when it moved. */
  private advanceStatus(message: MessageRow, incoming: MessageStatus, errorCode: number | null, errorMessage: string | null): boolean {
    const status = nextStatus(message.status, incoming);
    if (status === message.status) return false;
    const failed = status === 'failed' || status === 'undelivered';
    this.run(
      'UPDATE messages SET status = ?, error_code = ?, error_message = ? WHERE id = ?',
      status,
      failed ? errorCode : message.errorCode,
      failed ? errorMessage : message.errorMessage,
      message.id,
    );
    const conversation = toConversation(this.get('SELECT * FROM conversations WHERE id = ?', message.conversationId)!);
    this.emit('status', audienceOf(conversation), {
      conversationId: conversation.id,
      messageId: message.id,
      status,
      errorCode: failed ? errorCode : message.errorCode,
      errorMessage: failed ? errorMessage : message.errorMessage,
    });
    return true;
  }

  // ---------------------------------------------------------------- conversations

  async getConversation(id: string): Promise<ConversationRow | null> {
    const r = this.get('SELECT * FROM conversations WHERE id = ?', id);
    return r ? toConversation(r) : null;
  }

  async listConversations(viewer: Viewer, state: ConversationState | null, now: number): Promise<ConversationRow[]> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (!viewer.supervisor) {
      clauses.push('(assigned_agent_id = ? OR (offer_agent_id = ? AND offer_expires_at > ?))');
      params.push(viewer.agentId, viewer.agentId, now);
    }
    if (state) {
      clauses.push('state = ?');
      params.push(state);
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    return this.all(`SELECT * FROM conversations ${where} ORDER BY updated_at DESC LIMIT 500`, ...params).map(toConversation);
  }

  async listCustomerConversations(viewer: Viewer, customerPhone: string): Promise<ConversationRow[]> {
    // An agent may see a customer's history once they handle that customer.
    const handles =
      viewer.supervisor ||
      this.get('SELECT 1 FROM conversations WHERE customer_phone = ? AND (assigned_agent_id = ? OR offer_agent_id = ?)', customerPhone, viewer.agentId, viewer.agentId);
    if (!handles) return [];
    return this.all('SELECT * FROM conversations WHERE customer_phone = ? ORDER BY created_at DESC LIMIT 50', customerPhone).map(toConversation);
  }

  async listUnoffered(now: number, limit: number): Promise<ConversationRow[]> {
    return this.all(
      `SELECT * FROM conversations WHERE state = 'open' AND (offer_agent_id IS NULL OR offer_expires_at <= ?) ORDER BY created_at LIMIT ?`,
      now,
      limit,
    ).map(toConversation);
  }

  async routingSnapshot(now: number): Promise<RoutingSnapshot> {
    const agents = this.all(
      `SELECT a.*,
        (SELECT COUNT(*) FROM conversations c WHERE c.assigned_agent_id = a.id AND c.state IN ('active', 'waiting', 'wrapup'))
        + (SELECT COUNT(*) FROM conversations c WHERE c.offer_agent_id = a.id AND c.state = 'open' AND c.offer_expires_at > ?) AS load
       FROM agents a WHERE a.presence IN ('available', 'busy')`,
      now,
    );
    return { agents: agents.map((r) => ({ ...toAgent(r), load: Number(r.load) })) };
  }

  async declinedBy(conversationId: string, since: number): Promise<Set<string>> {
    const rows = this.all<{ agent_id: string }>('SELECT agent_id FROM offer_declines WHERE conversation_id = ? AND declined_at >= ?', conversationId, since);
    return new Set(rows.map((r) => r.agent_id));
  }

  async createOffer(conversationId: string, agentId: string, expiresAt: number, now: number): Promise<boolean> {
    return this.tx(() => {
      const r = this.run(
        `UPDATE conversations SET offer_agent_id = ?, offer_expires_at = ?, updated_at = ?
         WHERE id = ? AND state = 'open' AND (offer_agent_id IS NULL OR offer_expires_at <= ?)`,
        agentId,
        expiresAt,
        now,
        conversationId,
        now,
      );
      if (r.changes === 0) return false;
      this.run('UPDATE agents SET last_offered_at = ? WHERE id = ?', now, agentId);
      const conversation = toConversation(this.get('SELECT * FROM conversations WHERE id = ?', conversationId)!);
      const first = this.get(`${MESSAGE_SELECT} WHERE m.conversation_id = ? AND m.direction = 'inbound' ORDER BY m.seq DESC LIMIT 1`, conversationId);
      this.emit('offer', agentId, {
        conversationId,
        conversation: toApiConversation(conversation),
        firstMessage: first ? toApiMessage(toMessage(first)) : null,
      });
      return true;
    });
  }

  async expireOffers(now: number): Promise<string[]> {
    return this.tx(() => {
      const expired = this.all(`SELECT * FROM conversations WHERE state = 'open' AND offer_agent_id IS NOT NULL AND offer_expires_at <= ?`, now).map(toConversation);
      for (const c of expired) {
        this.run(
          `INSERT INTO offer_declines (conversation_id, agent_id, declined_at) VALUES (?, ?, ?)
           ON CONFLICT (conversation_id, agent_id) DO UPDATE SET declined_at = excluded.declined_at`,
          c.id,
          c.offerAgentId,
          now,
        );
        this.run('UPDATE conversations SET offer_agent_id = NULL, offer_expires_at = NULL, updated_at = ? WHERE id = ?', now, c.id);
        this.emit('offer_withdrawn', c.offerAgentId, { conversationId: c.id, reason: 'expired' });
      }
      return expired.map((c) => c.id);
    });
  }

  async acceptOffer(conversationId: string, agentId: string, now: number): Promise<ConversationRow> {
    return this.tx(() => {
      const c = this.requireConversation(conversationId);
      if (c.offerAgentId !== agentId || c.state !== 'open') {
        if (c.assignedAgentId === agentId && c.state !== 'open') return c; // accepting twice is harmless
        throw new DomainError('offer_not_yours', 'This conversation is not offered to you.');
      }
      if (c.offerExpiresAt !== null && c.offerExpiresAt <= now) {
        throw new DomainError('offer_expired', 'The offer has expired and passed to another agent.');
      }
      this.run(
        `UPDATE conversations SET state = 'active', assigned_agent_id = ?, offer_agent_id = NULL, offer_expires_at = NULL, updated_at = ? WHERE id = ?`,
        agentId,
        now,
        conversationId,
      );
      const updated = this.requireConversation(conversationId);
      this.emit('offer_withdrawn', agentId, { conversationId, reason: 'accepted' });
      this.emitConversation(updated);
      return updated;
    });
  }

  async rejectOffer(conversationId: string, agentId: string, now: number): Promise<void> {
    return this.tx(() => {
      const c = this.requireConversation(conversationId);
      if (c.offerAgentId !== agentId || c.state !== 'open') {
        throw new DomainError('offer_not_yours', 'This conversation is not offered to you.');
      }
      this.run(
        `INSERT INTO offer_declines (conversation_id, agent_id, declined_at) VALUES (?, ?, ?)
         ON CONFLICT (conversation_id, agent_id) DO UPDATE SET declined_at = excluded.declined_at`,
        conversationId,
        agentId,
        now,
      );
      this.run('UPDATE conversations SET offer_agent_id = NULL, offer_expires_at = NULL, updated_at = ? WHERE id = ?', now, conversationId);
      this.emit('offer_withdrawn', agentId, { conversationId, reason: 'rejected' });
    });
  }

  async changeState(conversationId: string, viewer: Viewer, state: ConversationState, now: number): Promise<ConversationRow> {
    return this.tx(() => {
      const c = this.requireVisible(conversationId, viewer);
      if (c.state === state) return c;
      if (!canTransition(c.state, state)) {
        throw new DomainError('invalid_transition', `A conversation cannot move from ${c.state} to ${state}.`);
      }
      this.run('UPDATE conversations SET state = ?, updated_at = ? WHERE id = ?', state, now, conversationId);
      const updated = this.requireConversation(conversationId);
      this.emitConversation(updated);
      return updated;
    });
  }

  async setLinkedRecord(conversationId: string, viewer: Viewer, record: RecordRef | null, now: number): Promise<ConversationRow> {
    return this.tx(() => {
      this.requireVisible(conversationId, viewer);
      this.run('UPDATE conversations SET linked_record = ?, updated_at = ? WHERE id = ?', record ? JSON.stringify(record) : null, now, conversationId);
      const updated = this.requireConversation(conversationId);
      this.emitConversation(updated);
      return updated;
    });
  }

  private requireConversation(id: string): ConversationRow {
    const r = this.get('SELECT * FROM conversations WHERE id = ?', id);
    if (!r) throw notFound('Conversation');
    return toConversation(r);
  }

  private requireVisible(id: string, viewer: Viewer): ConversationRow {
    const c = this.requireConversation(id);
    if (!viewer.supervisor && c.assignedAgentId !== viewer.agentId) throw notFound('Conversation');
    return c;
  }

  // ---------------------------------------------------------------- messages

  async listMessages(conversationId: string, before: string | null, limit: number): Promise<{ items: MessageRow[]; next: string | null }> {
    const beforeSeq = before === null ? Number.MAX_SAFE_INTEGER : Number(before);
    if (!Number.isSafeInteger(beforeSeq)) throw new DomainError('invalid_request', 'The cursor is not valid.');
    const rows = this.all(`${MESSAGE_SELECT} WHERE m.conversation_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`, conversationId, beforeSeq, limit + 1);
    const more = rows.length > limit;
    const page = rows.slice(0, limit).reverse();
    return { items: page.map(toMessage), next: more && page[0] ? String(page[0].seq) : null };
  }

  async getMessage(id: string): Promise<MessageRow | null> {
    const r = this.get(`${MESSAGE_SELECT} WHERE m.id = ?`, id);
    return r ? toMessage(r) : null;
  }

  async queueOutbound(record: OutboundRecord): Promise<{ message: MessageRow; duplicate: boolean }> {
    return this.tx(() => {
      if (record.clientId) {
        const dup = this.get(`${MESSAGE_SELECT} WHERE m.agent_id = ? AND m.client_id = ?`, record.agentId, record.clientId);
        if (dup) return { message: toMessage(dup), duplicate: true };
      }
      const conversation = this.requireConversation(record.conversationId);
      let media: MediaRef[] = [];
      if (record.mediaId) {
        const m = this.get('SELECT * FROM media WHERE id = ? AND agent_id = ? AND source_url IS NULL', record.mediaId, record.agentId);
        if (!m) throw new DomainError('media_not_found', 'The attachment was not found; upload it again.');
        this.run('UPDATE media SET conversation_id = ? WHERE id = ?', record.conversationId, record.mediaId);
        const row = toMedia(m);
        media = [{ id: row.id, contentType: row.contentType, filename: row.filename, size: row.size }];
      }
      const id = newId('msg');
      this.run(
        `INSERT INTO messages (id, conversation_id, direction, body, status, media, reply_to_id, template, agent_id, client_id, created_at)
         VALUES (?, ?, 'outbound', ?, 'queued', ?, ?, ?, ?, ?, ?)`,
        id,
        record.conversationId,
        record.body,
        JSON.stringify(media),
        record.replyToId,
        record.template ? JSON.stringify(record.template) : null,
        record.agentId,
        record.clientId,
        record.now,
      );
      this.run(
        `INSERT INTO outbox (message_id, sender, recipient, state, next_attempt_at) VALUES (?, ?, ?, 'pending', ?)`,
        id,
        record.sender,
        conversation.customerPhone,
        record.now,
      );
      const message = toMessage(this.get(`${MESSAGE_SELECT} WHERE m.id = ?`, id)!);
      this.emit('message', audienceOf(conversation), { conversationId: conversation.id, message: toApiMessage(message) });
      return { message, duplicate: false };
    });
  }

  async requeueOutbound(messageId: string, now: number): Promise<MessageRow> {
    return this.tx(() => {
      const raw = this.get(`${MESSAGE_SELECT} WHERE m.id = ?`, messageId);
      if (!raw) throw notFound('Message');
      const message = toMessage(raw);
      if (message.direction !== 'outbound' || message.status !== 'failed' || message.twilioSid) {
        throw new DomainError('not_retryable', 'Only a message that failed before reaching WhatsApp can be retried.');
      }
      const conversation = this.requireConversation(message.conversationId);
      this.run(`UPDATE messages SET status = 'queued', error_code = NULL, error_message = NULL WHERE id = ?`, messageId);
      this.run(
        `INSERT INTO outbox (message_id, sender, recipient, state, next_attempt_at) VALUES (?, ?, ?, 'pending', ?)`,
        messageId,
        conversation.businessPhone,
        conversation.customerPhone,
        now,
      );
      this.emit('status', audienceOf(conversation), { conversationId: conversation.id, messageId, status: 'queued', errorCode: null, errorMessage: null });
      return toMessage(this.get(`${MESSAGE_SELECT} WHERE m.id = ?`, messageId)!);
    });
  }

  // ---------------------------------------------------------------- outbox

  async claimOutbox(now: number, limit: number): Promise<OutboxItem[]> {
    return this.tx(() => {
      // At most a second of slots per sender, so one sender's backlog cannot fill the
      // batch and hold up the others.
      const due = this.all(
        `SELECT * FROM (
           SELECT o.*, m.body, m.media, m.template, m.conversation_id, m.seq,
                  ROW_NUMBER() OVER (PARTITION BY o.sender ORDER BY o.next_attempt_at, m.seq) AS sender_rank
           FROM outbox o JOIN messages m ON m.id = o.message_id
           WHERE (o.state = 'pending' AND o.next_attempt_at <= ?) OR (o.state = 'inflight' AND o.lease_until <= ?)
         ) WHERE sender_rank <= ? ORDER BY next_attempt_at, seq LIMIT ?`,
        now,
        now,
        MAX_CLAIM_PER_SENDER,
        limit,
      );
      const claimed: OutboxItem[] = [];
      for (const r of due) {
        const sender = String(r.sender);
        const slot = this.get<{ next_slot_at: number }>('SELECT next_slot_at FROM sender_slots WHERE sender = ?', sender)?.next_slot_at ?? 0;
        const sendAt = Math.max(slot, now);
        // Leave the rest for the next claim once this sender's slots are far enough ahead.
        if (sendAt > now + PACING_LOOKAHEAD_MS) continue;
        this.run(
          `INSERT INTO sender_slots (sender, next_slot_at) VALUES (?, ?) ON CONFLICT (sender) DO UPDATE SET next_slot_at = excluded.next_slot_at`,
          sender,
          sendAt + SEND_INTERVAL_MS,
        );
        const item = toOutboxItem(r, sendAt);
        this.run(
          `UPDATE outbox SET state = 'inflight', inflight_since = ?, lease_until = ? WHERE message_id = ?`,
          item.inDoubtSince ?? sendAt,
          sendAt + OUTBOX_LEASE_MS,
          item.messageId,
        );
        claimed.push(item);
      }
      return claimed;
    });
  }

  async recordSendResult(messageId: string, result: SendResultRecord, _now: number): Promise<void> {
    return this.tx(() => {
      const raw = this.get(`${MESSAGE_SELECT} WHERE m.id = ?`, messageId);
      if (!raw) return;
      const message = toMessage(raw);
      if (result.kind === 'retry') {
        this.run(
          `UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL,
             inflight_since = CASE WHEN ? THEN inflight_since ELSE NULL END WHERE message_id = ?`,
          result.nextAttemptAt,
          result.ambiguous ? 1 : 0,
          messageId,
        );
        return;
      }
      this.run('DELETE FROM outbox WHERE message_id = ?', messageId);
      if (result.kind === 'failed') {
        this.advanceStatus(message, 'failed', result.code, result.message);
        return;
      }
      if (!message.twilioSid) this.run('UPDATE messages SET twilio_sid = ? WHERE id = ?', result.sid, messageId);
      this.advanceStatus(message, result.status, null, null);
      // Callbacks that raced ahead of this result were parked; apply them now, in order.
      const parked = this.all('SELECT * FROM parked_statuses WHERE message_sid = ? ORDER BY received_at', result.sid);
      for (const p of parked) {
        const current = toMessage(this.get(`${MESSAGE_SELECT} WHERE m.id = ?`, messageId)!);
        this.advanceStatus(current, p.status as MessageStatus, (p.error_code as number | null) ?? null, (p.error_message as string | null) ?? null);
      }
      this.run('DELETE FROM parked_statuses WHERE message_sid = ?', result.sid);
    });
  }

  async nextOutboxDueAt(): Promise<number | null> {
    const r = this.get<{ due: number | null }>(
      `SELECT MIN(CASE WHEN state = 'pending' THEN next_attempt_at ELSE lease_until END) AS due FROM outbox`,
    );
    return r?.due ?? null;
  }

  // ---------------------------------------------------------------- notes

  async addNote(conversationId: string, viewer: Viewer & { agentName: string }, body: string, now: number): Promise<NoteRow> {
    return this.tx(() => {
      const c = this.requireVisible(conversationId, viewer);
      const id = newId('nt');
      this.run(
        'INSERT INTO notes (id, conversation_id, agent_id, agent_name, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        id,
        conversationId,
        viewer.agentId,
        viewer.agentName,
        body,
        now,
      );
      const note = toNote(this.get('SELECT * FROM notes WHERE id = ?', id)!);
      this.emit('note', audienceOf(c), { conversationId, note: toApiNote(note) });
      return note;
    });
  }

  async listNotes(conversationId: string): Promise<NoteRow[]> {
    return this.all('SELECT * FROM notes WHERE conversation_id = ? ORDER BY created_at, id', conversationId).map(toNote);
  }

  // ---------------------------------------------------------------- media

  async saveUpload(upload: {
    bytes: Uint8Array;
    contentType: string;
    filename: string | null;
    publicToken: string;
    publicExpiresAt: number;
    agentId: string;
  }): Promise<MediaRow> {
    return this.tx(() => {
      const id = newId('med');
      this.run(
        `INSERT INTO media (id, content_type, filename, size, bytes, public_token, public_expires_at, agent_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        id,
        upload.contentType,
        upload.filename,
        upload.bytes.byteLength,
        Buffer.from(upload.bytes),
        upload.publicToken,
        upload.publicExpiresAt,
        upload.agentId,
        Date.now(),
      );
      return toMedia(this.get('SELECT * FROM media WHERE id = ?', id)!);
    });
  }

  async getMedia(id: string): Promise<MediaRow | null> {
    const r = this.get('SELECT id, conversation_id, content_type, filename, size, source_url, public_token, public_expires_at, agent_id FROM media WHERE id = ?', id);
    return r ? toMedia(r) : null;
  }

  async getMediaBytes(id: string): Promise<Uint8Array | null> {
    const r = this.get<{ bytes: Buffer | null }>('SELECT bytes FROM media WHERE id = ?', id);
    return r?.bytes ? new Uint8Array(r.bytes) : null;
  }

  async getMediaByPublicToken(token: string, now: number): Promise<MediaRow | null> {
    const r = this.get(
      'SELECT id, conversation_id, content_type, filename, size, source_url, public_token, public_expires_at, agent_id FROM media WHERE public_token = ? AND public_expires_at > ?',
      token,
      now,
    );
    return r ? toMedia(r) : null;
  }

  // ---------------------------------------------------------------- search

  async searchMessages(viewer: Viewer, query: string, limit: number): Promise<SearchRow[]> {
    const match = ftsQuery(query);
    if (!match) return [];
    const visibility = viewer.supervisor ? '' : 'AND c.assigned_agent_id = ?';
    const params: unknown[] = [match];
    if (!viewer.supervisor) params.push(viewer.agentId);
    params.push(limit);
    const rows = this.all(
      `SELECT m.id AS message_id, m.direction, m.created_at AS message_created_at,
              snippet(messages_fts, 0, '', '', '…', 12) AS snippet, c.*
       FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid JOIN conversations c ON c.id = m.conversation_id
       WHERE messages_fts MATCH ? ${visibility}
       ORDER BY rank LIMIT ?`,
      ...params,
    );
    return rows.map((r) => ({
      conversationId: String(r.id),
      messageId: String(r.message_id),
      direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
      snippet: String(r.snippet),
      createdAt: Number(r.message_created_at),
      conversation: toConversation(r),
    }));
  }

  // ---------------------------------------------------------------- configuration data

  private listConfig<T>(kind: string): T[] {
    return this.all<{ data: string }>('SELECT data FROM config_items WHERE kind = ? ORDER BY position', kind).map((r) => JSON.parse(r.data) as T);
  }

  async listQuickReplies(): Promise<QuickReply[]> {
    return this.listConfig('quick_reply');
  }

  async listScripts(): Promise<AgentScript[]> {
    return this.listConfig('script');
  }

  async listTemplates(): Promise<MessageTemplate[]> {
    return this.listConfig('template');
  }

  async seedConfigData(data: { quickReplies: QuickReply[]; scripts: AgentScript[]; templates: MessageTemplate[] }): Promise<void> {
    return this.tx(() => {
      const insert = (kind: string, items: { id?: string; contentSid?: string }[]) =>
        items.forEach((item, position) =>
          this.run(
            'INSERT INTO config_items (kind, id, position, data) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO NOTHING',
            kind,
            item.id ?? item.contentSid,
            position,
            JSON.stringify(item),
          ),
        );
      insert('quick_reply', data.quickReplies);
      insert('script', data.scripts);
      insert('template', data.templates);
    });
  }
}
