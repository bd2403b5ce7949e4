/**
 * The persistence port under the use cases (server/src/usecases): a Database runs units
 * of work in transactions, and a Tx is what a unit may do inside one — rows in, rows out,
 * events appended, locks and claims. A Tx decides no business rule and raises no domain
 * error: the use cases do, once, for both SQL dialects. Where a query must filter by a
 * rule for speed (whose offer is live, who may see what), the use case hands the rule's
 * inputs in and server/test/store/contract.ts proves both dialects agree with the pure
 * function.
 */
import type {
  AgentScript,
  ConversationState,
  MessageSentiment,
  MessageStatus,
  MessageTemplate,
  Presence,
  QuickReply,
  RelayEventType,
  Template,
} from '@wcp/protocol';
import type { AgentRow, ConsentEntry, ConversationRow, InboundRecord, WhatsAppExtras, MediaRef, MediaRow, MessageRow, NoteRow, OutboxItem, QueueCountsRow, QueueRow, SearchRow, StoredEvent, StoredEventData, UnofferedCursor } from './port.ts';

/** The columns of a conversation a use case may change. */
export type ConversationPatch = Partial<
  Pick<
    ConversationRow,
    | 'state'
    | 'assignedAgentId'
    | 'offerAgentId'
    | 'offerExpiresAt'
    | 'offerNamed'
    | 'linkedRecord'
    | 'closedAt'
    | 'windowClosedAt'
    // Team work: queues, transfer, consult, wrap-up
    | 'queueId'
    | 'disposition'
    | 'summary'
    | 'consultants'
    | 'waitingSince'
    | 'transfer'
    | 'wrapUpEndsAt'
  >
>;

/** An inbound message as stored: either new, or the copy stored earlier under its MessageSid. */
export type StoredInbound =
  | { duplicate: true; conversation: ConversationRow; message: MessageRow }
  | { duplicate: false; conversation: ConversationRow; message: MessageRow; opened: boolean };

/** The pacing slots a claim may hand out: up to `until`, one every `interval` ms per sender (outbox/pacing.ts). */
export interface SlotWindow {
  until: number;
  interval: number;
}

/** Ids drawn by the use case before the unit runs, so a re-run of the unit writes the same rows. */
export interface InboundIds {
  conversationId: string;
  messageId: string;
  mediaIds: string[];
}

export interface NewOutbound {
  id: string;
  conversationId: string;
  agentId: string;
  body: string;
  media: MediaRef[];
  template: Template | null;
  replyToId: string | null;
  clientId: string | null;
  createdAt: number;
  /** Quick-reply buttons and the like; null for a plain reply. */
  whatsapp?: WhatsAppExtras | null;
}

export interface ParkedStatus {
  status: MessageStatus;
  errorCode: number | null;
  errorMessage: string | null;
}

export interface MetricGauges {
  outboxDepth: number;
  /** CRM writes Dataverse refused for good, kept for supervisors (usecases/crm-sync.ts). */
  crmWritesFailed: number;
  conversations: Array<{ state: string; count: number }>;
}

export interface Tx {
  // Events
  /**
   * Appends an event to the log within this transaction and returns it as stored. Its id is
   * final once the transaction commits: SQLite draws it at once, PostgreSQL at commit (PgTx
   * fills it in then). A unit's result reaches its caller only after the commit, so events
   * returned in it can be handed to the streams as they are (EventHub.offer).
   */
  emit<K extends RelayEventType>(type: K, agentId: string | null, data: StoredEventData[K]): StoredEvent<K>;
  /** Appends an event now and returns its id. */
  appendEvent<K extends RelayEventType>(type: K, agentId: string | null, data: StoredEventData[K]): Promise<number>;
  /** `agentId` null: every agent's events (a supervisor's stream). */
  readEvents(agentId: string | null, afterId: number, limit: number): Promise<StoredEvent[]>;
  /** The newest id the log has had: its newest event's, or how far it was pruned when it is empty. */
  latestEventId(): Promise<number>;
  // Event log retention (usecases/prune-event-log.ts)
  /** Notes the log's newest id at `now`, unless a note was made after `notedSince`. */
  markEventLog(now: number, notedSince: number): Promise<void>;
  /** The log's newest id as noted at or before `at`; null when nothing was noted that early. */
  eventLogMarkAt(at: number): Promise<number | null>;
  /** The events up to this id are gone; with `forUpdate`, the row is locked until commit. */
  eventLogPrunedThrough(forUpdate?: boolean): Promise<number>;
  /** Removes the events after `from` up to `upTo` and records `upTo`, and the notes older than the newest at or before `marksBefore`; how many events went. */
  pruneEvents(from: number, upTo: number, marksBefore: number): Promise<number>;

  // Agents
  upsertAgent(agent: { id: string; name: string; role: AgentRow['role'] }, capacity: number, now: number): Promise<AgentRow>;
  getAgent(id: string): Promise<AgentRow | null>;
  updatePresence(agentId: string, presence: Presence, now: number): Promise<AgentRow | null>;
  markOffered(agentId: string, now: number): Promise<void>;
  /** These agents' panels have their event stream open now (usecases/absent-agents.ts). */
  markPanelsSeen(agentIds: readonly string[], now: number): Promise<void>;
  /** Agents not Offline whose panel was last seen before `cutoff` (never seen: not listed), locked. */
  listAgentsAbsentSince(cutoff: number): Promise<AgentRow[]>;
  /** Agents with one of `presences`, each with its load: conversations assigned to it in one of `loadStates`, plus its live offers. */
  agentsWithLoad(presences: readonly Presence[], loadStates: readonly ConversationState[], now: number): Promise<(AgentRow & { load: number })[]>;
  /** One agent with its load as agentsWithLoad counts it, its row locked until the transaction ends (PostgreSQL): offers to it wait for each other. */
  agentWithLoad(agentId: string, loadStates: readonly ConversationState[], now: number): Promise<(AgentRow & { load: number }) | null>;

  // Conversations
  /** `forUpdate`: lock the row until commit (a decision on a stale read would skip a rule). */
  getConversation(id: string, forUpdate?: boolean): Promise<ConversationRow | null>;
  updateConversation(id: string, patch: ConversationPatch, now: number): Promise<ConversationRow>;
  /** Newest first. `visibleTo`: only those assigned to, or live-offered to, this agent (null: all). */
  listConversations(visibleTo: string | null, state: ConversationState | null, now: number, limit: number): Promise<ConversationRow[]>;
  listCustomerConversations(customerPhone: string, limit: number): Promise<ConversationRow[]>;
  /** Has this agent ever been assigned, or offered, a conversation with this customer, or is it consulting on one now? */
  customerKnownTo(customerPhone: string, agentId: string): Promise<boolean>;
  /** Open conversations without a live offer, oldest first; only those of `queueIds` when given; only those after `after` when given (the next page). */
  listUnoffered(now: number, limit: number, queueIds?: readonly string[] | null, after?: UnofferedCursor | null): Promise<ConversationRow[]>;
  /** The offers to this agent that still stand, locked. */
  listLiveOffersTo(agentId: string, now: number): Promise<ConversationRow[]>;
  /** Open conversations whose offer lapsed, locked, oldest first. */
  listLapsedOffers(now: number): Promise<ConversationRow[]>;
  recordDecline(conversationId: string, agentId: string, now: number): Promise<void>;
  declinedBy(conversationId: string, since: number): Promise<Set<string>>;
  /** declinedBy for several conversations in one read: the agents who declined each since `since` (none: absent). */
  declinesOf(conversationIds: readonly string[], since: number): Promise<Map<string, Set<string>>>;

  // Inbound messages (the webhook hot path: one statement where the dialect allows)
  /**
   * Stores an inbound message once per MessageSid, in the customer's open conversation or a
   * new one; the conversation's last inbound time becomes the newer of the stored one and
   * this message's (window/policy.ts reopenWindow; the contract test holds both dialects to it).
   */
  storeInbound(inbound: InboundRecord, ids: InboundIds): Promise<StoredInbound>;

  // Messages
  getMessage(id: string, forUpdate?: boolean): Promise<MessageRow | null>;
  findMessageBySid(sid: string, forUpdate?: boolean): Promise<MessageRow | null>;
  findClientMessage(agentId: string, clientId: string): Promise<MessageRow | null>;
  latestInbound(conversationId: string): Promise<MessageRow | null>;
  /** Oldest first; `next` is the cursor (a sequence number) of the page before, or null. */
  listMessages(conversationId: string, beforeSeq: number, limit: number): Promise<{ items: MessageRow[]; next: string | null }>;
  insertOutbound(message: NewOutbound): Promise<MessageRow>;
  updateMessageStatus(id: string, status: MessageStatus, errorCode: number | null, errorMessage: string | null): Promise<void>;
  setTwilioSid(messageId: string, sid: string): Promise<void>;
  /**
   * Puts an agent's own upload into a conversation: one not in any conversation yet, or already
   * in this one. Null when it is not theirs, not an upload, or in another conversation.
   */
  attachUpload(mediaId: string, agentId: string, conversationId: string): Promise<MediaRef | null>;
  /** Up to `limit` uploads no message carries whose public link lapsed before `lapsedBefore`, oldest first: how many went. */
  deleteUnsentUploads(lapsedBefore: number, limit: number): Promise<number>;

  // Outbox
  enqueue(messageId: string, sender: string, recipient: string, at: number): Promise<void>;
  dequeue(messageId: string): Promise<void>;
  /** Back to pending; `keepInDoubt`: the attempt may have reached Twilio, keep its in-flight mark. */
  retryLater(messageId: string, nextAttemptAt: number, keepInDoubt: boolean): Promise<void>;
  /**
   * Items due at `now` (pending and due, or in flight past their lease), oldest first, each its
   * customer's oldest item (a customer's next reply waits for the one before it: sql-tx.ts
   * customerNextSend), at most `perSender` of each sender, of `sender` only when given, and
   * of each sender only as many as its pacing slots place before `slots.until` (its next slot,
   * or now, then one every `slots.interval`): a busy sender's later items wait anyway, and must
   * not fill the batch ahead of senders that can send now. Locked so other instances skip them;
   * `sendAt` is left 0 for the caller.
   */
  dueOutbox(now: number, perSender: number, limit: number, sender: string | null, slots: SlotWindow): Promise<OutboxItem[]>;
  /** Each sender's next pacing slot, locked until commit (taken in name order). */
  senderSlots(senders: readonly string[]): Promise<Map<string, number>>;
  setSenderSlot(sender: string, nextSlotAt: number): Promise<void>;
  markInflight(messageId: string, inflightSince: number, leaseUntil: number): Promise<void>;
  nextOutboxDueAt(): Promise<number | null>;
  /** Serializes this transaction with others naming the same MessageSid, until commit. */
  lockSid(sid: string): Promise<void>;
  parkStatus(sid: string, status: ParkedStatus, receivedAt: number): Promise<void>;
  /** Status callbacks parked for this sid, oldest first; they are removed. */
  takeParkedStatuses(sid: string): Promise<ParkedStatus[]>;

  // Notes
  insertNote(note: NoteRow): Promise<NoteRow>;
  listNotes(conversationId: string): Promise<NoteRow[]>;

  // Media
  insertUpload(upload: { id: string; bytes: Uint8Array; contentType: string; filename: string | null; publicToken: string; publicExpiresAt: number; agentId: string; createdAt: number }): Promise<MediaRow>;
  getMedia(id: string): Promise<MediaRow | null>;
  getMediaBytes(id: string): Promise<Uint8Array | null>;
  getMediaByPublicToken(token: string, now: number): Promise<MediaRow | null>;
  /** An upload's public link is served until `expiresAt` (usecases/public-media-link.ts). */
  renewPublicLink(mediaId: string, expiresAt: number): Promise<void>;

  // Search (each dialect's own full-text index)
  /**
   * Messages with every word, newest first, up to `limit`; `visibleTo`: only conversations
   * assigned to this agent (null: all). Newest first, not by relevance: bm25 and ts_rank score
   * every match before the first row comes back — 51 ms for a word in each of 100,000 messages
   * on SQLite, on the relay's one thread — where newest first stops at the limit (3.6 ms), and
   * with every word required, the newest match is the one an agent is after.
   */
  searchMessages(visibleTo: string | null, query: string, limit: number): Promise<SearchRow[]>;

  // Configuration data
  listConfig<T>(kind: ConfigKind): Promise<T[]>;
  /** Adds an item unless one of that kind and id exists. */
  insertConfig(kind: ConfigKind, id: string, position: number, item: QuickReply | AgentScript | MessageTemplate): Promise<void>;

  metricGauges(): Promise<MetricGauges>;

  // Team work: queues, transfer, consult, wrap-up
  /** Every agent, with its load counted as agentsWithLoad does. */
  listAgentsWithLoad(loadStates: readonly ConversationState[], now: number): Promise<(AgentRow & { load: number })[]>;
  /** Conversations in `waiting` whose last customer message (or, with none, creation) is at or before `cutoff`, locked. */
  listIdleWaiting(cutoff: number): Promise<ConversationRow[]>;
  /** Conversations in `wrapup` whose wrap-up end is at or before `now`, locked. */
  listLapsedWrapUps(now: number): Promise<ConversationRow[]>;
  listQueues(): Promise<QueueRow[]>;
  getQueue(id: string): Promise<QueueRow | null>;
  /** Creates or replaces the queue, its members and numbers (a number listed elsewhere moves here). */
  /** Creates or replaces the queue; a number another queue holds stops it: that number and queue (the caller's transaction rolls back). */
  putQueue(queue: QueueRow): Promise<{ number: string; queueName: string } | null>;
  /** Open conversations per queue (`queueId` null: every queue): how many, and the oldest waitingSince/createdAt. */
  queueCounts(queueId: string | null): Promise<QueueCountsRow[]>;
  /** Conversations not closed, newest first, each with its latest inbound message's sentiment. */
  listLiveConversations(limit: number): Promise<(ConversationRow & { sentiment: MessageSentiment | null })[]>;
  countLiveConversations(): Promise<number>;

  // WhatsApp fidelity
  /** Notes when the free entry point opened (usecases/open-free-entry.ts); false when it already had. */
  markFirstReply(conversationId: string, at: number): Promise<boolean>;
  /** Appends to the consent log and copies the consent onto the pair's conversations; returns them. */
  recordConsent(entry: ConsentEntry): Promise<ConversationRow[]>;
  /** The pair's consent log, oldest first. */
  consentLog(customerPhone: string, businessPhone: string): Promise<ConsentEntry[]>;
  /** Takes these conversations' messages waiting in the outbox (not those in flight) out of it; their ids. */
  withdrawQueued(conversationIds: readonly string[]): Promise<string[]>;

  // CRM sync: each conversation's activity in Dataverse, written again after each change
  /** How far into the event log the CRM writer has looked; the row is locked until commit unless `forUpdate` is false. */
  crmCursor(forUpdate?: boolean): Promise<number>;
  setCrmCursor(eventId: number): Promise<void>;
  /** The conversation's activity must be written (again): due at `at`, its version moved on. */
  markCrmDue(conversationId: string, at: number): Promise<void>;
  /** Writes due at `now`, not failed, not held by another writer; each leased until `leaseUntil`. */
  claimCrmWrites(now: number, leaseUntil: number, limit: number): Promise<CrmWrite[]>;
  /**
   * The write of `version` landed: the row goes, unless a newer change came meanwhile. False when
   * there was nothing to finish (another writer finished it, or a later version, meanwhile).
   */
  finishCrmWrite(conversationId: string, version: number): Promise<boolean>;
  retryCrmWrite(conversationId: string, dueAt: number, error: string): Promise<void>;
  /** A write that will not succeed: kept with its error for supervisors, not retried. */
  failCrmWrite(conversationId: string, at: number, error: string): Promise<void>;
  listFailedCrmWrites(limit: number): Promise<CrmWrite[]>;
}

export interface CrmWrite {
  conversationId: string;
  version: number;
  attempts: number;
  failedAt: number | null;
  lastError: string | null;
}

export type ConfigKind = 'quick_reply' | 'script' | 'template';

/** Where the relay keeps its data: one SQL database, reached through transactions. */
export interface Database {
  readonly kind: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** A unit of work in a transaction of its own; its events are written with it. Re-run whole on a lost race. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A webhook's unit of work: units queued together share one commit (group commit), each
   * in its own savepoint so a failing one rolls back alone. `lockOrder` orders units inside
   * a group so groups never wait on each other in a cycle; `oneStatement`: the unit sends
   * one statement, so units may be sent together without waiting for each other's answers.
   * `committed` gets the unit's result once its commit is visible to readers, which may be
   * before it is durable (SQLite syncs its log after); the promise resolves once durable.
   */
  grouped<T>(lockOrder: string, oneStatement: boolean, work: (tx: Tx) => Promise<T>, committed?: (value: T) => void): Promise<T>;
  /** Reads outside a transaction (each statement sees the latest commit). */
  read<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}
