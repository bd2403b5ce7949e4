/**
 * The Store port: everything the relay keeps. Each method is one atomic unit of work —
 * the state change and the events it produces are written in the same transaction, so
 * an agent's event stream (read from the durable log by cursor) never misses a change.
 * Adapters: SQLite (embedded default) and PostgreSQL (scale-out); both pass
 * server/test/store/contract.ts.
 */
import type {
  Agent,
  AgentScript,
  ConversationState,
  MessageContact,
  MessageLocation,
  MessageSentiment,
  MessageStatus,
  MessageTemplate,
  Presence,
  QuickReply,
  QuickReplyButton,
  RecordRef,
  Referral,
  RelayEvents,
  RelayEventType,
  Template,
  Transfer,
} from '@wcp/protocol';
import type { ActivityInput } from '../crm/activity.ts';
import type { WriteOutcome } from '../crm/dataverse.ts';
import type { CrmWrite } from './tx.ts';

export type { CrmWrite };

export interface ConversationRow {
  id: string;
  state: ConversationState;
  customerPhone: string;
  profileName: string | null;
  waId: string | null;
  businessPhone: string;
  assignedAgentId: string | null;
  offerAgentId: string | null;
  offerExpiresAt: number | null;
  /**
   * The offer names its agent: a supervisor assigned it or a holder transferred it to them, whatever
   * their queue. False: the router chose a member of the conversation's queue.
   */
  offerNamed: boolean;
  lastInboundAt: number | null;
  /** When WhatsApp was found to have refused a reply as outside the 24-hour window (Twilio 63016; window/policy.ts replyWindowCloses). */
  windowClosedAt: number | null;
  linkedRecord: RecordRef | null;
  /** The Click-to-WhatsApp ad the conversation began from. */
  referral: Referral | null;
  /** When the business's reply that opened the free entry point was queued (usecases/open-free-entry.ts); null: none did. */
  firstReplyAt: number | null;
  /** The customer opted out of this business number (the newest consent log entry). */
  optedOut: boolean;
  createdAt: number;
  updatedAt: number;
  /** When it closed (usecases/change-state.ts closeConversation): its CRM activity's end; null until then. */
  closedAt: number | null;
  // Team work: queues, transfer, consult, wrap-up
  queueId: string;
  disposition: string | null;
  summary: string | null;
  consultants: string[];
  previousConversationId: string | null;
  /** Back to waiting for an agent at (a transfer); null: since createdAt. */
  waitingSince: number | null;
  /** Who handed it over, until an agent accepts it. */
  transfer: Transfer | null;
  /**
   * When its wrap-up closes by itself: set on entering wrap-up to that moment plus
   * WRAP_UP_CLOSE_AFTER (null: no timer); stands only while it is in wrap-up.
   */
  wrapUpEndsAt: number | null;
}

/** What an inbound message carries beyond text and media (Twilio's WhatsApp parameters). */
export interface WhatsAppExtras {
  location?: MessageLocation;
  contacts?: MessageContact[];
  button?: { text: string; payload: string | null };
  /** An agent's reply's quick-reply buttons. */
  buttons?: QuickReplyButton[];
  forwarded?: true;
  /** Set with `messageType` and `raw` when the panel cannot show what WhatsApp sent. */
  unsupported?: true;
  messageType?: string;
  /** The webhook's parameters as received, kept for a message the panel cannot show. */
  raw?: Record<string, string>;
}

/** One change of a customer's consent, as the consent log keeps it. */
export interface ConsentEntry {
  customerPhone: string;
  businessPhone: string;
  optedOut: boolean;
  /** `keyword:STOP`, `keyword:START`, `twilio:21610`, … */
  cause: string;
  messageId: string | null;
  createdAt: number;
}

export interface MediaRef {
  id: string;
  contentType: string;
  filename: string | null;
  size: number | null;
}

export interface MessageRow {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  body: string;
  status: MessageStatus;
  errorCode: number | null;
  errorMessage: string | null;
  twilioSid: string | null;
  media: MediaRef[];
  replyToSid: string | null;
  replyToId: string | null;
  /** Body of the quoted message, when it is in our transcript. */
  replyToBody: string | null;
  template: Template | null;
  agentId: string | null;
  clientId: string | null;
  /** Inbound messages' lexicon figures; null for outbound (and inbound stored before scoring). */
  sentiment: MessageSentiment | null;
  whatsapp: WhatsAppExtras | null;
  createdAt: number;
}

export interface InboundRecord {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  profileName: string | null;
  waId: string | null;
  media: { url: string; contentType: string }[];
  originalRepliedMessageSid: string | null;
  /** Scored by the caller (pure, from the body) so the store stays free of the lexicon. */
  sentiment: MessageSentiment;
  /** Location, contacts, button, forwarded, unsupported: null for a plain message. */
  whatsapp?: WhatsAppExtras | null;
  /** Referral* parameters: kept on a conversation this message opens. */
  referral?: Referral | null;
  receivedAt: number;
}

export interface StatusUpdate {
  messageSid: string;
  /** Our message id, from the callback URL, when Twilio echoes it. */
  messageId: string | null;
  status: MessageStatus;
  errorCode: number | null;
  errorMessage: string | null;
  now: number;
}

/** What a status callback did; `events` as in InboundResult (the hub hands them on without reading them back). */
export interface StatusResult {
  applied: boolean;
  parked: boolean;
  events?: StoredEvent[];
}

export interface InboundResult {
  duplicate: boolean;
  conversation: ConversationRow;
  message: MessageRow;
  /** True when this message opened a new conversation (it needs routing). */
  opened: boolean;
  /**
   * The events this call appended, in order, with their ids (none for a duplicate); the event
   * hub hands them to this process's streams without reading them back.
   */
  events?: StoredEvent[];
}

/**
 * What the webhook route reads of a stored inbound message (recordInboundReceipt): a fraction
 * of InboundResult. It was cut down when the SQLite store ran on a thread of its own and every
 * answer crossed as a structured clone (~1.4 KB a webhook for the whole result, test/bench/README.md,
 * "Eighth session"); the route still needs no more, and a store elsewhere (a process of its own)
 * would send no more.
 */
export interface InboundReceipt {
  duplicate: boolean;
  /** True when this message opened a new conversation (it needs routing). */
  opened: boolean;
  conversationId: string;
  queueId: string;
  /** The message is to a conversation its agent left waiting: it is to be made active again (usecases/resume-conversation.ts). */
  resumes: boolean;
  /** The stored message's id. */
  messageId: string;
  /** The customer is opted out: their message may end a block (usecases/re-engage.ts). Set for a redelivered message too. */
  reEngages: boolean;
  /** As InboundResult.events. */
  events?: StoredEvent[];
}

export interface OutboundRecord {
  conversationId: string;
  agentId: string;
  body: string;
  mediaId: string | null;
  template: Template | null;
  replyToId: string | null;
  clientId: string | null;
  sender: string;
  now: number;
  /** Quick-reply buttons under the text. */
  buttons?: QuickReplyButton[] | null;
  /**
   * This process's outbox worker is running and sends what the queueing claims: when the
   * sender's pacing slot comes within the claim's lookahead, the message (and any send of the
   * same sender due before it) is claimed in the same transaction and returned in `claimed`.
   */
  claimForSending?: boolean;
}

/** A queued reply, and what its transaction claimed for this process to send (claimForSending). */
export interface QueuedOutbound {
  message: MessageRow;
  duplicate: boolean;
  claimed: OutboxItem[];
  /** The events it appended, when the adapter knows their ids by the time it answers (as InboundResult.events). */
  events?: StoredEvent[];
}

export interface OutboxItem {
  messageId: string;
  conversationId: string;
  sender: string;
  to: string;
  body: string;
  mediaId: string | null;
  template: Template | null;
  buttons: QuickReplyButton[] | null;
  attempts: number;
  /** When the agent queued it, or retried it after it failed (epoch ms): how long a template may still wait (outbox/send-deadline.ts). */
  queuedAt: number;
  /** Set when a previous attempt was in flight when its process stopped. */
  inDoubtSince: number | null;
  /** When the sender's pacing slot for this item comes (epoch ms). */
  sendAt: number;
}

export type SendResultRecord =
  /** Twilio took it. The error it already recorded, if any: a send the in-doubt check found failed. */
  | { kind: 'sent'; sid: string; status: MessageStatus; errorCode?: number | null; errorMessage?: string | null }
  /** `ambiguous`: Twilio may have taken it (timeout, dropped connection): check before resending. */
  | { kind: 'retry'; nextAttemptAt: number; code: number | null; message: string; ambiguous: boolean }
  | { kind: 'failed'; code: number | null; message: string };

/**
 * What the event log stores of each type: the stream's events. A customer's message carries the
 * window it re-opened, and its one row streams as two frames, `message` then `window`
 * (events/sse-frames.ts): one INSERT per listener per webhook fewer than a row each (CPU per
 * webhook −9 % at 1,000/s, +4 % webhooks/s at full load: test/bench/README.md, "Twenty-first
 * session").
 */
export type StoredEventData = RelayEvents;

export interface StoredEvent<K extends RelayEventType = RelayEventType> {
  id: number;
  type: K;
  /** null: for supervisors only. */
  agentId: string | null;
  data: StoredEventData[K];
}

export interface NoteRow {
  id: string;
  conversationId: string;
  agentId: string;
  agentName: string;
  body: string;
  createdAt: number;
}

export interface MediaRow extends MediaRef {
  conversationId: string | null;
  /** Twilio's media URL for inbound media; null for uploads. */
  sourceUrl: string | null;
  /** For uploads: unguessable token of the public URL Twilio fetches. */
  publicToken: string | null;
  publicExpiresAt: number | null;
  /** The agent who uploaded it; null for inbound media. */
  uploadedBy: string | null;
}

export interface SearchRow {
  conversationId: string;
  messageId: string;
  direction: 'inbound' | 'outbound';
  snippet: string;
  createdAt: number;
  conversation: ConversationRow;
}

export interface AgentRow extends Agent {
  lastOfferedAt: number | null;
}

/** Where a page of listUnoffered ended: its last conversation (the order is the customer's wait, conversation-rules.ts waitingFrom, then id). */
export type UnofferedCursor = Pick<ConversationRow, 'waitingSince' | 'createdAt' | 'id'>;

export interface RoutingSnapshot {
  agents: (AgentRow & { load: number; queueIds: string[] })[];
}

export interface Viewer {
  agentId: string;
  supervisor: boolean;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /** What /metrics reports on a scrape: outbox length and conversations by state. */
  metricGauges(): Promise<{ outboxDepth: number; crmWritesFailed: number; conversations: Array<{ state: string; count: number }> }>;
  close(): Promise<void>;
  /**
   * Counts one more request against `key` in a window of `windowMs` from the key's first request,
   * across every instance sharing the store: the count so far and the milliseconds left. Present
   * where several instances share one store (PostgreSQL), so a limit holds once behind a load
   * balancer; a one-process store leaves it out and the relay counts in its own memory.
   */
  countRequest?(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }>;
  /**
   * Removes the counts whose window has ended (a key's next request starts a new window
   * whether its row is there or not), so keys seen once do not stay for ever; how many went.
   * Present with countRequest.
   */
  forgetLapsedRequestLimits?(): Promise<number>;

  // Agents and presence
  /** Creates the agent on first sight (presence offline), refreshes name and role. */
  upsertAgent(agent: { id: string; name: string; role: Agent['role'] }, capacity: number, now: number): Promise<AgentRow>;
  getAgent(id: string): Promise<AgentRow | null>;
  setPresence(agentId: string, presence: Presence, now: number): Promise<AgentRow>;
  /** These agents' panels have their event stream open on this relay now (usecases/absent-agents.ts). */
  markPanelsSeen(agentIds: readonly string[], now: number): Promise<void>;
  /** Sets Offline the agents not Offline whose panel no relay has seen since `cutoff`; returns them. */
  signOutAbsentAgents(cutoff: number, now: number): Promise<AgentRow[]>;

  // Webhooks
  /** Stores an inbound message once per MessageSid; opens a conversation if none is open. */
  recordInbound(inbound: InboundRecord): Promise<InboundResult>;
  /**
   * recordInbound, answered with its receipt only: the webhook's path. `committed` gets the
   * receipt as soon as the message is visible, before it is durable: what the agents' streams
   * may be told then; the promise resolves once it is durable, what Twilio may be told then.
   */
  recordInboundReceipt(inbound: InboundRecord, committed?: (receipt: InboundReceipt) => void): Promise<InboundReceipt>;
  /** The customer wrote to the conversation its agent left waiting: active again (usecases/resume-conversation.ts); null when no longer waiting. */
  resumeWaiting(conversationId: string, now: number): Promise<ConversationRow | null>;
  /** The opted-out customer wrote again: a block WhatsApp reported ends (usecases/re-engage.ts); true when their consent changed back. */
  reEngage(conversationId: string, messageId: string, now: number): Promise<boolean>;
  /** Applies a status callback forward-only; an unknown sid is parked until the send is recorded. `committed` as for recordInboundReceipt. */
  applyStatus(update: StatusUpdate, committed?: (result: StatusResult) => void): Promise<StatusResult>;

  // Conversations
  getConversation(id: string): Promise<ConversationRow | null>;
  listConversations(viewer: Viewer, state: ConversationState | null, now: number): Promise<ConversationRow[]>;
  listCustomerConversations(viewer: Viewer, customerPhone: string): Promise<ConversationRow[]>;
  /** Conversations in state open with no live offer, oldest first; of `queueIds` only, when given; after `after` only, when given (the next page). */
  listUnoffered(now: number, limit: number, queueIds?: readonly string[] | null, after?: UnofferedCursor | null): Promise<ConversationRow[]>;
  routingSnapshot(now: number): Promise<RoutingSnapshot>;
  /** Agents who declined this conversation since `since`. */
  declinedBy(conversationId: string, since: number): Promise<Set<string>>;
  /** Agents who declined each of these conversations since `since`, in one read (a conversation nobody declined is absent). */
  declinesOf(conversationIds: readonly string[], since: number): Promise<Map<string, Set<string>>>;
  /**
   * Offers the conversation if it is still open and unoffered; false if someone else did first.
   * `routed`: the agent was chosen from a snapshot, so the offer is made only if it can still take work (offer-conversation.ts).
   */
  createOffer(conversationId: string, agentId: string, expiresAt: number, now: number, routed?: boolean): Promise<boolean>;
  /** Ends offers past their expiry (recording a decline); returns the conversations affected. */
  expireOffers(now: number): Promise<string[]>;
  acceptOffer(conversationId: string, agentId: string, now: number): Promise<ConversationRow>;
  rejectOffer(conversationId: string, agentId: string, now: number): Promise<void>;
  /**
   * Closing takes a wrap-up (a disposition from the configured list, an optional summary); entering
   * wrap-up sets when it closes by itself, `wrapUpCloseAfterMs` later (0 or none: never).
   */
  changeState(conversationId: string, viewer: Viewer, state: ConversationState, now: number, wrapUp?: WrapUp, wrapUpCloseAfterMs?: number): Promise<ConversationRow>;
  setLinkedRecord(conversationId: string, viewer: Viewer, record: RecordRef | null, now: number): Promise<ConversationRow>;

  // Messages
  /** Oldest first; `before` is an opaque cursor from a previous page's `next`. */
  listMessages(conversationId: string, before: string | null, limit: number): Promise<{ items: MessageRow[]; next: string | null }>;
  getMessage(id: string): Promise<MessageRow | null>;
  /** The message Twilio's sid was recorded for, if any. */
  findMessageBySid(sid: string): Promise<MessageRow | null>;
  /** The message an agent's send with this clientId (the panel's idempotency key) stored, if any. */
  findClientMessage(agentId: string, clientId: string): Promise<MessageRow | null>;
  /**
   * Queues an outbound message and its outbox entry; the same clientId returns the first message.
   * With `claimForSending`, claims it at once (as claimOutbox would) when its sender's slot allows.
   */
  queueOutbound(record: OutboundRecord): Promise<QueuedOutbound>;
  /** Puts a failed outbound message back in the outbox. */
  requeueOutbound(messageId: string, now: number): Promise<MessageRow>;

  // Outbox
  /**
   * Claims up to `limit` due items (marks them in flight under a lease), each with a
   * pacing slot per sender shared by every instance. Items whose lease ran out were
   * left in flight by a stopped process: they come back with `inDoubtSince` set.
   */
  claimOutbox(now: number, limit: number): Promise<OutboxItem[]>;
  /** True when the message's status moved (an event was appended for its listeners). */
  recordSendResult(messageId: string, result: SendResultRecord, now: number): Promise<boolean>;
  nextOutboxDueAt(): Promise<number | null>;

  // Events
  appendEvent<K extends RelayEventType>(type: K, agentId: string | null, data: StoredEventData[K]): Promise<number>;
  readEvents(viewer: Viewer, afterId: number, limit: number): Promise<StoredEvent[]>;
  latestEventId(): Promise<number>;
  /** The events up to this id were pruned (usecases/prune-event-log.ts): a stream resuming from before it missed some. */
  eventLogPrunedThrough(): Promise<number>;
  /** Notes the log's newest id, at most once an hour. */
  markEventLog(now: number): Promise<void>;
  /** Removes one batch of the events older than the retention; `more` when another is due. */
  pruneEventLog(now: number, retentionMs: number, crmSync: boolean): Promise<{ pruned: number; more: boolean }>;

  // Notes
  addNote(conversationId: string, viewer: Viewer & { agentName: string }, body: string, now: number): Promise<NoteRow>;
  listNotes(conversationId: string): Promise<NoteRow[]>;

  // Media
  saveUpload(upload: { bytes: Uint8Array; contentType: string; filename: string | null; publicToken: string; publicExpiresAt: number; agentId: string }): Promise<MediaRow>;
  /** One batch of the uploads no message carries, a day after their public link lapsed (usecases/forget-unsent-uploads.ts); `more`: another batch is due. */
  forgetUnsentUploads(now: number): Promise<{ forgotten: number; more: boolean }>;
  getMedia(id: string): Promise<MediaRow | null>;
  getMediaBytes(id: string): Promise<Uint8Array | null>;
  getMediaByPublicToken(token: string, now: number): Promise<MediaRow | null>;

  // Search
  searchMessages(viewer: Viewer, query: string, limit: number): Promise<SearchRow[]>;

  // Configuration data (seeded on first start)
  listQuickReplies(): Promise<QuickReply[]>;
  listScripts(): Promise<AgentScript[]>;
  listTemplates(): Promise<MessageTemplate[]>;
  seedConfigData(data: { quickReplies: QuickReply[]; scripts: AgentScript[]; templates: MessageTemplate[] }): Promise<void>;

  // The CRM record (usecases/crm-sync.ts)
  /** Marks the conversations changed past the CRM cursor; how many events it read (0: caught up). */
  followEventsForCrm(now: number): Promise<number>;
  claimCrmWrites(now: number, limit: number): Promise<CrmWrite[]>;
  crmActivityInput(conversationId: string): Promise<ActivityInput | null>;
  recordCrmWrite(write: CrmWrite, outcome: WriteOutcome, now: number): Promise<void>;
  listFailedCrmWrites(limit: number): Promise<CrmWrite[]>;
  /** Refused writes due again (a supervisor's Retry): those of `conversationIds` among the newest `limit`, or all of those; the ids marked. */
  retryFailedCrmWrites(conversationIds: readonly string[] | null, limit: number, now: number): Promise<string[]>;

  // WhatsApp fidelity
  /** Every consent change of this customer for this business number, oldest first. */
  consentLog(customerPhone: string, businessPhone: string): Promise<ConsentEntry[]>;
  /** The customer's newest message in the conversation (the typing indicator names it). */
  latestInbound(conversationId: string): Promise<MessageRow | null>;

  // Team work: queues, transfer, consult, wrap-up
  /** Closes conversations left waiting with no customer message for `afterMs` (disposition auto-closed). */
  autoClose(afterMs: number, now: number): Promise<ConversationRow[]>;
  /** Closes conversations left in wrap-up past their wrap-up end (disposition auto-closed, no summary). */
  closeLapsedWrapUps(now: number): Promise<ConversationRow[]>;
  /** Every queue (a supervisor) or the viewer's own, with its waiting counts; `all`: every queue, others' without members and numbers (transfer targets). */
  listQueues(viewer: Viewer, now: number, all?: boolean): Promise<QueueView[]>;
  /** Creates or replaces a queue (members, business numbers). */
  putQueue(queue: QueueRow, now: number): Promise<QueueView>;
  /** Tells a queue's members and supervisors its counts (after a conversation opened in it). */
  announceQueue(queueId: string): Promise<void>;
  /** Hands the conversation to an agent (an offer) or back to a queue; the holder loses it. */
  transfer(conversationId: string, viewer: Viewer & { agentName: string }, target: TransferTarget, offerExpiresAt: number, now: number): Promise<ConversationRow>;
  /** A supervisor offers an open conversation to one agent, whatever its queue and earlier declines. */
  assign(conversationId: string, agentId: string, offerExpiresAt: number, now: number): Promise<ConversationRow>;
  startConsult(conversationId: string, viewer: Viewer, consultantId: string, now: number): Promise<ConversationRow>;
  /** The consultant ends its own consult; the holder (or a supervisor) ends them all. */
  endConsult(conversationId: string, viewer: Viewer, now: number): Promise<ConversationRow>;
  supervisorOverview(now: number): Promise<Overview>;
  /** Every agent with its load: whom a holder may transfer to or consult. */
  listAgents(now: number): Promise<(AgentRow & { load: number })[]>;
}

export interface WrapUp {
  disposition: string | null;
  summary: string | null;
}

export interface QueueRow {
  id: string;
  name: string;
  /** Business numbers, E.164 (no `whatsapp:` prefix). */
  numbers: string[];
  /** Listed members (none for the default queue: its members are the agents in no other queue). */
  agentIds: string[];
}

export interface QueueCountsRow {
  queueId: string;
  waiting: number;
  longestWaitSince: number | null;
}

export type QueueView = QueueRow & Omit<QueueCountsRow, 'queueId'>;

export type TransferTarget = { agentId: string; queueId?: undefined; note: string | null } | { queueId: string; agentId?: undefined; note: string | null };

export interface Overview {
  agents: (AgentRow & { load: number })[];
  queues: QueueView[];
  conversations: (ConversationRow & { sentiment: MessageSentiment | null })[];
  /** Every live conversation, counted: more than `conversations` when that holds only the newest. */
  conversationsTotal: number;
}
