import { DEFAULT_QUEUE_ID } from "../../domain/queues.js";
import { json, toAgent, toConsentEntry, toConversation, toMedia, toMessage, toNote } from "../rows.js";
/** Every message column but the full-text index's: the quoted message's body comes from the join. */
export const MESSAGE_FIELDS = `seq, id, conversation_id, direction, body, status, error_code, error_message,
  twilio_sid, media, reply_to_sid, reply_to_id, template, agent_id, client_id, sentiment, whatsapp, created_at`;
export const MESSAGE_COLUMNS = MESSAGE_FIELDS.replace(/\w+/g, 'm.$&');
export const MESSAGE_SELECT = `SELECT ${MESSAGE_COLUMNS}, r.body AS reply_body FROM messages m LEFT JOIN messages r ON r.id = m.reply_to_id`;
export const MEDIA_COLUMNS = 'id, conversation_id, content_type, filename, size, source_url, public_token, public_expires_at, agent_id';
const PATCH_COLUMNS = {
    state: 'state',
    assignedAgentId: 'assigned_agent_id',
    offerAgentId: 'offer_agent_id',
    offerExpiresAt: 'offer_expires_at',
    linkedRecord: 'linked_record',
    queueId: 'queue_id',
    disposition: 'disposition',
    summary: 'summary',
    consultants: 'consultants',
    waitingSince: 'waiting_since',
    transfer: 'transfer',
};
/** Patch columns stored as JSON text. */
const JSON_PATCH = new Set(['linkedRecord', 'consultants', 'transfer']);
/** A LIKE pattern (escape `\`) for a JSON array of strings holding `id`. */
export const jsonArrayHolds = (id) => `%${JSON.stringify(id).replace(/[\\%_]/g, '\\$&')}%`;
/**
 * What a conversation opened by a customer's message takes besides its own columns: the
 * queue listing its business number (else the default queue, DEFAULT_QUEUE_ID) and the
 * customer's previous conversation with that number. `business` and `customer` are the
 * dialect's parameter references (sqlite: '?' twice, bound to `to` then `from`, `to`).
 */
export const OPEN_TEAM_COLUMNS = 'queue_id, previous_conversation_id';
export const OPEN_TEAM_VALUES = (business, customer) => `COALESCE((SELECT qn.queue_id FROM queue_numbers qn WHERE qn.number = ${business}), '${DEFAULT_QUEUE_ID}'),
   (SELECT p.id FROM conversations p WHERE p.customer_phone = ${customer} AND p.business_phone = ${business} ORDER BY p.created_at DESC LIMIT 1)`;
/** A JSON column's value: text, or NULL for null and absent. */
export const jsonText = (value) => (value === null || value === undefined ? null : JSON.stringify(value));
const placeholders = (n) => Array.from({ length: n }, () => '?').join(', ');
export class SqlTx {
    db;
    constructor(db) {
        this.db = db;
    }
    async one(sql, params = []) {
        return (await this.db.all(sql, params))[0];
    }
    // ---------------------------------------------------------------- events
    async readEvents(agentId, afterId, limit) {
        const rows = agentId === null
            ? await this.db.all('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?', [afterId, limit])
            : await this.db.all('SELECT * FROM events WHERE id > ? AND agent_id = ? ORDER BY id LIMIT ?', [afterId, agentId, limit]);
        return rows.map((r) => ({
            id: Number(r.id),
            type: r.type,
            agentId: r.agent_id ?? null,
            data: json(r.data),
        }));
    }
    async latestEventId() {
        return Number((await this.one('SELECT MAX(id) AS id FROM events'))?.id ?? 0);
    }
    // ---------------------------------------------------------------- agents
    async upsertAgent(agent, capacity, now) {
        const r = await this.one(`INSERT INTO agents (id, name, role, presence, capacity, updated_at) VALUES (?, ?, ?, 'offline', ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role RETURNING *`, [agent.id, agent.name, agent.role, capacity, now]);
        return toAgent(r);
    }
    async getAgent(id) {
        const r = await this.one('SELECT * FROM agents WHERE id = ?', [id]);
        return r ? toAgent(r) : null;
    }
    async updatePresence(agentId, presence, now) {
        const r = await this.one('UPDATE agents SET presence = ?, updated_at = ? WHERE id = ? RETURNING *', [presence, now, agentId]);
        return r ? toAgent(r) : null;
    }
    async markOffered(agentId, now) {
        await this.db.run('UPDATE agents SET last_offered_at = ? WHERE id = ?', [now, agentId]);
    }
    /** `presences` null: every agent. */
    async agentsWithLoad(presences, loadStates, now) {
        const rows = await this.db.all(`SELECT a.*,
        (SELECT COUNT(*) FROM conversations c WHERE c.assigned_agent_id = a.id AND c.state IN (${placeholders(loadStates.length)}))
        + (SELECT COUNT(*) FROM conversations c WHERE c.offer_agent_id = a.id AND c.state = 'open' AND c.offer_expires_at > ?) AS load
       FROM agents a${presences ? ` WHERE a.presence IN (${placeholders(presences.length)})` : ' ORDER BY a.name, a.id'}`, [...loadStates, now, ...(presences ?? [])]);
        return rows.map((r) => ({ ...toAgent(r), load: Number(r.load) }));
    }
    // ---------------------------------------------------------------- conversations
    async getConversation(id, forUpdate = false) {
        const r = await this.one(`SELECT * FROM conversations WHERE id = ?${forUpdate ? this.forUpdate() : ''}`, [id]);
        return r ? toConversation(r) : null;
    }
    async updateConversation(id, patch, now) {
        const keys = Object.keys(patch);
        const values = keys.map((k) => (JSON_PATCH.has(k) ? (patch[k] ? JSON.stringify(patch[k]) : null) : patch[k]));
        const r = await this.one(`UPDATE conversations SET ${keys.map((k) => `${PATCH_COLUMNS[k]} = ?, `).join('')}updated_at = ? WHERE id = ? RETURNING *`, [
            ...values,
            now,
            id,
        ]);
        return toConversation(r);
    }
    async listConversations(visibleTo, state, now, limit) {
        const clauses = [];
        const params = [];
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
    async listCustomerConversations(customerPhone, limit) {
        return (await this.db.all('SELECT * FROM conversations WHERE customer_phone = ? ORDER BY created_at DESC LIMIT ?', [customerPhone, limit])).map(toConversation);
    }
    async customerKnownTo(customerPhone, agentId) {
        const r = await this.one('SELECT 1 AS known FROM conversations WHERE customer_phone = ? AND (assigned_agent_id = ? OR offer_agent_id = ?) LIMIT 1', [
            customerPhone,
            agentId,
            agentId,
        ]);
        return r !== undefined;
    }
    async listUnoffered(now, limit) {
        return (await this.db.all(`SELECT * FROM conversations WHERE state = 'open' AND (offer_agent_id IS NULL OR offer_expires_at <= ?) ORDER BY created_at LIMIT ?`, [
            now,
            limit,
        ])).map(toConversation);
    }
    async listLapsedOffers(now) {
        return (await this.db.all(`SELECT * FROM conversations WHERE state = 'open' AND offer_agent_id IS NOT NULL AND offer_expires_at <= ? ORDER BY created_at${this.forUpdate()}`, [now])).map(toConversation);
    }
    async recordDecline(conversationId, agentId, now) {
        await this.db.run(`INSERT INTO offer_declines (conversation_id, agent_id, declined_at) VALUES (?, ?, ?)
       ON CONFLICT (conversation_id, agent_id) DO UPDATE SET declined_at = excluded.declined_at`, [conversationId, agentId, now]);
    }
    async declinedBy(conversationId, since) {
        const rows = await this.db.all('SELECT agent_id FROM offer_declines WHERE conversation_id = ? AND declined_at >= ?', [conversationId, since]);
        return new Set(rows.map((r) => r.agent_id));
    }
    // ---------------------------------------------------------------- messages
    async getMessage(id, forUpdate = false) {
        const r = await this.one(`${MESSAGE_SELECT} WHERE m.id = ?${forUpdate ? this.forUpdate('m') : ''}`, [id]);
        return r ? toMessage(r) : null;
    }
    async findMessageBySid(sid, forUpdate = false) {
        const r = await this.one(`${MESSAGE_SELECT} WHERE m.twilio_sid = ?${forUpdate ? this.forUpdate('m') : ''}`, [sid]);
        return r ? toMessage(r) : null;
    }
    async findClientMessage(agentId, clientId) {
        const r = await this.one(`${MESSAGE_SELECT} WHERE m.agent_id = ? AND m.client_id = ?`, [agentId, clientId]);
        return r ? toMessage(r) : null;
    }
    async latestInbound(conversationId) {
        const r = await this.one(`${MESSAGE_SELECT} WHERE m.conversation_id = ? AND m.direction = 'inbound' ORDER BY m.seq DESC LIMIT 1`, [conversationId]);
        return r ? toMessage(r) : null;
    }
    async listMessages(conversationId, beforeSeq, limit) {
        const rows = await this.db.all(`${MESSAGE_SELECT} WHERE m.conversation_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`, [conversationId, beforeSeq, limit + 1]);
        const more = rows.length > limit;
        const page = rows.slice(0, limit).reverse();
        return { items: page.map(toMessage), next: more && page[0] ? String(page[0].seq) : null };
    }
    async insertOutbound(m) {
        await this.db.run(`INSERT INTO messages (id, conversation_id, direction, body, status, media, reply_to_id, template, agent_id, client_id, whatsapp, created_at)
       VALUES (?, ?, 'outbound', ?, 'queued', ?, ?, ?, ?, ?, ?, ?)`, [m.id, m.conversationId, m.body, JSON.stringify(m.media), m.replyToId, m.template ? JSON.stringify(m.template) : null, m.agentId, m.clientId, jsonText(m.whatsapp), m.createdAt]);
        return (await this.getMessage(m.id));
    }
    async updateMessageStatus(id, status, errorCode, errorMessage) {
        await this.db.run('UPDATE messages SET status = ?, error_code = ?, error_message = ? WHERE id = ?', [status, errorCode, errorMessage, id]);
    }
    async setTwilioSid(messageId, sid) {
        await this.db.run('UPDATE messages SET twilio_sid = ? WHERE id = ?', [sid, messageId]);
    }
    async attachUpload(mediaId, agentId, conversationId) {
        const r = await this.one(`UPDATE media SET conversation_id = ? WHERE id = ? AND agent_id = ? AND source_url IS NULL RETURNING ${MEDIA_COLUMNS}`, [
            conversationId,
            mediaId,
            agentId,
        ]);
        if (!r)
            return null;
        const row = toMedia(r);
        return { id: row.id, contentType: row.contentType, filename: row.filename, size: row.size };
    }
    // ---------------------------------------------------------------- outbox
    async enqueue(messageId, sender, recipient, at) {
        await this.db.run(`INSERT INTO outbox (message_id, sender, recipient, state, next_attempt_at) VALUES (?, ?, ?, 'pending', ?)`, [messageId, sender, recipient, at]);
    }
    async dequeue(messageId) {
        await this.db.run('DELETE FROM outbox WHERE message_id = ?', [messageId]);
    }
    async retryLater(messageId, nextAttemptAt, keepInDoubt) {
        await this.db.run(`UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL${keepInDoubt ? '' : ', inflight_since = NULL'}
       WHERE message_id = ?`, [nextAttemptAt, messageId]);
    }
    async senderSlots(senders) {
        const slots = new Map();
        // The upsert locks each sender's row until commit (PostgreSQL), so claims for one
        // sender are paced one after another across instances. Name order: no deadlock.
        for (const sender of [...senders].sort()) {
            const r = await this.one(`INSERT INTO sender_slots (sender, next_slot_at) VALUES (?, 0)
         ON CONFLICT (sender) DO UPDATE SET next_slot_at = sender_slots.next_slot_at RETURNING next_slot_at`, [sender]);
            slots.set(sender, Number(r.next_slot_at));
        }
        return slots;
    }
    async setSenderSlot(sender, nextSlotAt) {
        await this.db.run('UPDATE sender_slots SET next_slot_at = ? WHERE sender = ?', [nextSlotAt, sender]);
    }
    async markInflight(messageId, inflightSince, leaseUntil) {
        await this.db.run(`UPDATE outbox SET state = 'inflight', inflight_since = ?, lease_until = ? WHERE message_id = ?`, [inflightSince, leaseUntil, messageId]);
    }
    async nextOutboxDueAt() {
        const r = await this.one(`SELECT MIN(CASE WHEN state = 'pending' THEN next_attempt_at ELSE lease_until END) AS due FROM outbox`);
        return r?.due === null || r?.due === undefined ? null : Number(r.due);
    }
    async parkStatus(sid, status, receivedAt) {
        await this.db.run(`INSERT INTO parked_statuses (message_sid, status, error_code, error_message, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, [sid, status.status, status.errorCode, status.errorMessage, receivedAt]);
    }
    async takeParkedStatuses(sid) {
        const rows = await this.db.all('DELETE FROM parked_statuses WHERE message_sid = ? RETURNING *', [sid]);
        return rows
            .sort((a, b) => Number(a.received_at) - Number(b.received_at))
            .map((p) => ({ status: p.status, errorCode: p.error_code === null ? null : Number(p.error_code), errorMessage: p.error_message ?? null }));
    }
    // ---------------------------------------------------------------- notes
    async insertNote(note) {
        const r = await this.one('INSERT INTO notes (id, conversation_id, agent_id, agent_name, body, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *', [
            note.id,
            note.conversationId,
            note.agentId,
            note.agentName,
            note.body,
            note.createdAt,
        ]);
        return toNote(r);
    }
    async listNotes(conversationId) {
        return (await this.db.all('SELECT * FROM notes WHERE conversation_id = ? ORDER BY created_at, id', [conversationId])).map(toNote);
    }
    // ---------------------------------------------------------------- media
    async insertUpload(u) {
        const r = await this.one(`INSERT INTO media (id, content_type, filename, size, bytes, public_token, public_expires_at, agent_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${MEDIA_COLUMNS}`, [u.id, u.contentType, u.filename, u.bytes.byteLength, Buffer.from(u.bytes), u.publicToken, u.publicExpiresAt, u.agentId, u.createdAt]);
        return toMedia(r);
    }
    async getMedia(id) {
        const r = await this.one(`SELECT ${MEDIA_COLUMNS} FROM media WHERE id = ?`, [id]);
        return r ? toMedia(r) : null;
    }
    async getMediaBytes(id) {
        const r = await this.one('SELECT bytes FROM media WHERE id = ?', [id]);
        return r?.bytes ? new Uint8Array(r.bytes) : null;
    }
    async getMediaByPublicToken(token, now) {
        const r = await this.one(`SELECT ${MEDIA_COLUMNS} FROM media WHERE public_token = ? AND public_expires_at > ?`, [token, now]);
        return r ? toMedia(r) : null;
    }
    /** A full-text hit joined with its conversation (`c.*`), as both dialects' search queries select it. */
    toSearchRow(r) {
        return {
            conversationId: String(r.id),
            messageId: String(r.message_id),
            direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
            snippet: String(r.snippet),
            createdAt: Number(r.message_created_at),
            conversation: toConversation(r),
        };
    }
    // ---------------------------------------------------------------- configuration data
    async listConfig(kind) {
        return (await this.db.all('SELECT data FROM config_items WHERE kind = ? ORDER BY position', [kind])).map((r) => json(r.data));
    }
    async insertConfig(kind, id, position, item) {
        await this.db.run('INSERT INTO config_items (kind, id, position, data) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO NOTHING', [kind, id, position, JSON.stringify(item)]);
    }
    async metricGauges() {
        const depth = await this.one('SELECT COUNT(*) AS n FROM outbox');
        const crmFailed = await this.one('SELECT COUNT(*) AS n FROM crm_sync WHERE failed_at IS NOT NULL');
        const conversations = await this.db.all('SELECT state, COUNT(*) AS count FROM conversations GROUP BY state');
        return { outboxDepth: Number(depth?.n ?? 0), crmWritesFailed: Number(crmFailed?.n ?? 0), conversations: conversations.map((c) => ({ state: c.state, count: Number(c.count) })) };
    }
    // ---------------------------------------------------------------- Team work: queues, transfer, consult, wrap-up
    listAgentsWithLoad(loadStates, now) {
        return this.agentsWithLoad(null, loadStates, now);
    }
    async listIdleWaiting(cutoff) {
        // As conversation-rules.ts autoCloseDue.
        const rows = await this.db.all(`SELECT * FROM conversations WHERE state = 'waiting' AND COALESCE(last_inbound_at, created_at) <= ? ORDER BY created_at${this.forUpdate()}`, [cutoff]);
        return rows.map(toConversation);
    }
    async listQueues() {
        const queues = await this.db.all('SELECT id, name FROM queues ORDER BY id');
        const members = await this.db.all('SELECT queue_id, agent_id FROM queue_members ORDER BY agent_id');
        const numbers = await this.db.all('SELECT queue_id, number FROM queue_numbers ORDER BY number');
        return queues.map((q) => ({
            id: q.id,
            name: q.name,
            numbers: numbers.filter((n) => n.queue_id === q.id).map((n) => n.number),
            agentIds: members.filter((m) => m.queue_id === q.id).map((m) => m.agent_id),
        }));
    }
    async getQueue(id) {
        return (await this.listQueues()).find((q) => q.id === id) ?? null;
    }
    async putQueue(queue) {
        await this.db.run('INSERT INTO queues (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name', [queue.id, queue.name]);
        await this.db.run('DELETE FROM queue_members WHERE queue_id = ?', [queue.id]);
        await this.db.run('DELETE FROM queue_numbers WHERE queue_id = ?', [queue.id]);
        for (const agentId of new Set(queue.agentIds))
            await this.db.run('INSERT INTO queue_members (queue_id, agent_id) VALUES (?, ?)', [queue.id, agentId]);
        for (const number of new Set(queue.numbers)) {
            await this.db.run('INSERT INTO queue_numbers (number, queue_id) VALUES (?, ?) ON CONFLICT (number) DO UPDATE SET queue_id = excluded.queue_id', [number, queue.id]);
        }
    }
    async queueCounts(queueId) {
        const rows = await this.db.all(`SELECT queue_id, COUNT(*) AS waiting, MIN(COALESCE(waiting_since, created_at)) AS since FROM conversations
       WHERE state = 'open'${queueId === null ? '' : ' AND queue_id = ?'} GROUP BY queue_id`, queueId === null ? [] : [queueId]);
        return rows.map((r) => ({ queueId: r.queue_id, waiting: Number(r.waiting), longestWaitSince: r.since === null ? null : Number(r.since) }));
    }
    async listLiveConversations(limit) {
        const rows = await this.db.all(`SELECT c.*, (SELECT m.sentiment FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound' ORDER BY m.seq DESC LIMIT 1) AS latest_sentiment
       FROM conversations c WHERE c.state <> 'closed' ORDER BY c.created_at DESC LIMIT ?`, [limit]);
        return rows.map((r) => ({ ...toConversation(r), sentiment: r.latest_sentiment ? json(r.latest_sentiment) : null }));
    }
    // ---------------------------------------------------------------- WhatsApp fidelity
    async markFirstReply(conversationId, at) {
        await this.db.run('UPDATE conversations SET first_reply_at = ? WHERE id = ? AND first_reply_at IS NULL', [at, conversationId]);
    }
    async recordConsent(entry) {
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
    async consentLog(customerPhone, businessPhone) {
        return (await this.db.all('SELECT * FROM consent_log WHERE customer_phone = ? AND business_phone = ? ORDER BY id', [customerPhone, businessPhone])).map(toConsentEntry);
    }
    async withdrawQueued(conversationIds) {
        if (conversationIds.length === 0)
            return [];
        const rows = await this.db.all(`DELETE FROM outbox WHERE state = 'pending' AND message_id IN (SELECT id FROM messages WHERE conversation_id IN (${placeholders(conversationIds.length)}))
       RETURNING message_id`, conversationIds);
        return rows.map((r) => r.message_id);
    }
    async crmCursor() {
        return Number((await this.one(`SELECT event_id FROM crm_sync_cursor WHERE id = 1${this.forUpdate()}`)).event_id);
    }
    async setCrmCursor(eventId) {
        await this.db.run('UPDATE crm_sync_cursor SET event_id = ? WHERE id = 1', [eventId]);
    }
    async markCrmDue(conversationId, at) {
        await this.db.run(`INSERT INTO crm_sync (conversation_id, due_at) VALUES (?, ?)
       ON CONFLICT (conversation_id) DO UPDATE SET version = crm_sync.version + 1, due_at = excluded.due_at, attempts = 0, failed_at = NULL, last_error = NULL`, [conversationId, at]);
    }
    async claimCrmWrites(now, leaseUntil, limit) {
        const rows = await this.db.all(`SELECT * FROM crm_sync WHERE failed_at IS NULL AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?) ORDER BY due_at LIMIT ?${this.skipLocked()}`, [now, now, limit]);
        for (const r of rows)
            await this.db.run('UPDATE crm_sync SET lease_until = ?, attempts = attempts + 1 WHERE conversation_id = ?', [leaseUntil, r.conversation_id]);
        return rows.map((r) => ({ ...toCrmWrite(r), attempts: Number(r.attempts) + 1 }));
    }
    async finishCrmWrite(conversationId, version) {
        await this.db.run('DELETE FROM crm_sync WHERE conversation_id = ? AND version = ?', [conversationId, version]);
        await this.db.run('UPDATE crm_sync SET lease_until = NULL WHERE conversation_id = ?', [conversationId]);
    }
    async retryCrmWrite(conversationId, dueAt, error) {
        await this.db.run('UPDATE crm_sync SET due_at = ?, lease_until = NULL, last_error = ? WHERE conversation_id = ?', [dueAt, error, conversationId]);
    }
    async failCrmWrite(conversationId, at, error) {
        await this.db.run('UPDATE crm_sync SET failed_at = ?, lease_until = NULL, last_error = ? WHERE conversation_id = ?', [at, error, conversationId]);
    }
    async listFailedCrmWrites(limit) {
        return (await this.db.all('SELECT * FROM crm_sync WHERE failed_at IS NOT NULL ORDER BY failed_at DESC LIMIT ?', [limit])).map(toCrmWrite);
    }
}
function toCrmWrite(r) {
    return {
        conversationId: String(r.conversation_id),
        version: Number(r.version),
        attempts: Number(r.attempts),
        failedAt: r.failed_at === null || r.failed_at === undefined ? null : Number(r.failed_at),
        lastError: r.last_error ?? null,
    };
}
//# sourceMappingURL=sql-tx.js.map