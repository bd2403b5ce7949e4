/**
 * The Store the relay's routes, router and outbox worker use: each write is a use case of
 * this folder, run over the Database given (SQLite or PostgreSQL); reads go straight to it.
 * The dialect adapters (store/sqlite, store/postgres) extend this with how to connect.
 */
import { forgetUnsentUploads } from './forget-unsent-uploads.ts';
import { markEventLog, pruneEventLog } from './prune-event-log.ts';
import type { AgentScript, ConversationState, MessageTemplate, Presence, QuickReply, RecordRef, RelayEventType } from '@wcp/protocol';
import { LOAD_STATES, ROUTABLE_PRESENCES } from '../routing/policy.ts';
import { newId } from '../domain/ids.ts';
import type {
  AgentRow,
  ConsentEntry,
  ConversationRow,
  InboundRecord,
  InboundReceipt,
  InboundResult,
  MediaRow,
  MessageRow,
  NoteRow,
  OutboundRecord,
  OutboxItem,
  QueuedOutbound,
  RoutingSnapshot,
  SearchRow,
  SendResultRecord,
  StatusResult,
  StatusUpdate,
  Store,
  StoredEvent,
  StoredEventData,
  UnofferedCursor,
  Viewer,
  Overview,
  QueueRow,
  QueueView,
  TransferTarget,
  WrapUp,
} from '../store/port.ts';
import type { CrmWrite, Database, MetricGauges } from '../store/tx.ts';
import type { ActivityInput } from '../crm/activity.ts';
import type { WriteOutcome } from '../crm/dataverse.ts';
import { claimCrmWrites, crmActivityInput, followEventsForCrm, recordCrmWrite, retryFailedCrmWrites } from './crm-sync.ts';
import { acceptOffer } from './accept-offer.ts';
import { addNote } from './add-note.ts';
import { applyStatus } from './apply-status.ts';
import { changeState } from './change-state.ts';
import { claimOutbox } from './claim-outbox.ts';
import { customerHistory, listVisible, parseCursor } from './conversation-access.ts';
import { expireOffers } from './expire-offers.ts';
import { linkRecord } from './link-record.ts';
import { offerConversation } from './offer-conversation.ts';
import { queueOutbound } from './queue-outbound.ts';
import { inboundReceipt, receiveInbound } from './receive-inbound.ts';
import { resumeWaiting } from './resume-conversation.ts';
import { reEngage } from './re-engage.ts';
import { recordSendResult } from './record-send-result.ts';
import { rejectOffer } from './reject-offer.ts';
import { requeueOutbound } from './requeue-outbound.ts';
import { seedConfigData } from './seed-config-data.ts';
import { setPresence } from './set-presence.ts';
import { markPanelsSeen, signOutAbsentAgents } from './absent-agents.ts';
import { queuesOf } from '../domain/queues.ts';
import { assignConversation } from './assign-conversation.ts';
import { autoClose, closeLapsedWrapUps } from './auto-close.ts';
import { endConsult } from './end-consult.ts';
import { listQueues } from './list-queues.ts';
import { putQueue } from './put-queue.ts';
import { announceQueue } from './queue-counts.ts';
import { startConsult } from './start-consult.ts';
import { supervisorOverview } from './supervisor-overview.ts';
import { transferConversation } from './transfer-conversation.ts';

export class RelayStore implements Store {
  constructor(protected readonly database: Database) {}

  get kind(): Database['kind'] {
    return this.database.kind;
  }

  migrate(): Promise<void> {
    return this.database.migrate();
  }

  ping(): Promise<void> {
    return this.database.ping();
  }

  close(): Promise<void> {
    return this.database.close();
  }

  metricGauges(): Promise<MetricGauges> {
    return this.database.read((tx) => tx.metricGauges());
  }

  // Agents and presence

  upsertAgent(agent: { id: string; name: string; role: AgentRow['role'] }, capacity: number, now: number): Promise<AgentRow> {
    return this.database.transaction((tx) => tx.upsertAgent(agent, capacity, now));
  }

  getAgent(id: string): Promise<AgentRow | null> {
    return this.database.read((tx) => tx.getAgent(id));
  }

  markPanelsSeen(agentIds: readonly string[], now: number): Promise<void> {
    return markPanelsSeen(this.database, agentIds, now);
  }

  signOutAbsentAgents(cutoff: number, now: number): Promise<AgentRow[]> {
    return signOutAbsentAgents(this.database, cutoff, now);
  }

  setPresence(agentId: string, presence: Presence, now: number): Promise<AgentRow> {
    return setPresence(this.database, agentId, presence, now);
  }

  // Webhooks

  recordInbound(inbound: InboundRecord): Promise<InboundResult> {
    return receiveInbound(this.database, inbound);
  }

  async recordInboundReceipt(inbound: InboundRecord, committed?: (receipt: InboundReceipt) => void): Promise<InboundReceipt> {
    return inboundReceipt(await receiveInbound(this.database, inbound, committed && ((result) => committed(inboundReceipt(result)))));
  }

  resumeWaiting(conversationId: string, now: number): Promise<ConversationRow | null> {
    return resumeWaiting(this.database, conversationId, now);
  }

  reEngage(conversationId: string, messageId: string, now: number): Promise<boolean> {
    return reEngage(this.database, conversationId, messageId, now);
  }

  applyStatus(update: StatusUpdate, committed?: (result: StatusResult) => void): Promise<StatusResult> {
    return applyStatus(this.database, update, committed);
  }

  // Conversations

  getConversation(id: string): Promise<ConversationRow | null> {
    return this.database.read((tx) => tx.getConversation(id));
  }

  listConversations(viewer: Viewer, state: ConversationState | null, now: number): Promise<ConversationRow[]> {
    return this.database.read((tx) => listVisible(tx, viewer, state, now));
  }

  listCustomerConversations(viewer: Viewer, customerPhone: string): Promise<ConversationRow[]> {
    return this.database.read((tx) => customerHistory(tx, viewer, customerPhone));
  }

  listUnoffered(now: number, limit: number, queueIds: readonly string[] | null = null, after: UnofferedCursor | null = null): Promise<ConversationRow[]> {
    return this.database.read((tx) => tx.listUnoffered(now, limit, queueIds, after));
  }

  routingSnapshot(now: number): Promise<RoutingSnapshot> {
    return this.database.read(async (tx) => {
      const queues = await tx.listQueues();
      const agents = await tx.agentsWithLoad(ROUTABLE_PRESENCES, LOAD_STATES, now);
      return { agents: agents.map((a) => ({ ...a, queueIds: queuesOf(a, queues) })) };
    });
  }

  declinedBy(conversationId: string, since: number): Promise<Set<string>> {
    return this.database.read((tx) => tx.declinedBy(conversationId, since));
  }

  declinesOf(conversationIds: readonly string[], since: number): Promise<Map<string, Set<string>>> {
    return this.database.read((tx) => tx.declinesOf(conversationIds, since));
  }

  createOffer(conversationId: string, agentId: string, expiresAt: number, now: number, routed = false): Promise<boolean> {
    return offerConversation(this.database, conversationId, agentId, expiresAt, now, routed);
  }

  expireOffers(now: number): Promise<string[]> {
    return expireOffers(this.database, now);
  }

  acceptOffer(conversationId: string, agentId: string, now: number): Promise<ConversationRow> {
    return acceptOffer(this.database, conversationId, agentId, now);
  }

  rejectOffer(conversationId: string, agentId: string, now: number): Promise<void> {
    return rejectOffer(this.database, conversationId, agentId, now);
  }

  changeState(conversationId: string, viewer: Viewer, state: ConversationState, now: number, wrapUp?: WrapUp, wrapUpCloseAfterMs?: number): Promise<ConversationRow> {
    return changeState(this.database, conversationId, viewer, state, now, wrapUp, wrapUpCloseAfterMs);
  }

  setLinkedRecord(conversationId: string, viewer: Viewer, record: RecordRef | null, now: number): Promise<ConversationRow> {
    return linkRecord(this.database, conversationId, viewer, record, now);
  }

  // Messages

  listMessages(conversationId: string, before: string | null, limit: number): Promise<{ items: MessageRow[]; next: string | null }> {
    const beforeSeq = parseCursor(before);
    return this.database.read((tx) => tx.listMessages(conversationId, beforeSeq, limit));
  }

  getMessage(id: string): Promise<MessageRow | null> {
    return this.database.read((tx) => tx.getMessage(id));
  }

  findMessageBySid(sid: string): Promise<MessageRow | null> {
    return this.database.read((tx) => tx.findMessageBySid(sid));
  }

  findClientMessage(agentId: string, clientId: string): Promise<MessageRow | null> {
    return this.database.read((tx) => tx.findClientMessage(agentId, clientId));
  }

  queueOutbound(record: OutboundRecord): Promise<QueuedOutbound> {
    return queueOutbound(this.database, record);
  }

  requeueOutbound(messageId: string, now: number): Promise<MessageRow> {
    return requeueOutbound(this.database, messageId, now);
  }

  // Outbox

  claimOutbox(now: number, limit: number): Promise<OutboxItem[]> {
    return claimOutbox(this.database, now, limit);
  }

  recordSendResult(messageId: string, result: SendResultRecord, now: number): Promise<boolean> {
    return recordSendResult(this.database, messageId, result, now);
  }

  nextOutboxDueAt(): Promise<number | null> {
    return this.database.read((tx) => tx.nextOutboxDueAt());
  }

  // Events

  appendEvent<K extends RelayEventType>(type: K, agentId: string | null, data: StoredEventData[K]): Promise<number> {
    return this.database.transaction((tx) => tx.appendEvent(type, agentId, data));
  }

  readEvents(viewer: Viewer, afterId: number, limit: number): Promise<StoredEvent[]> {
    return this.database.read((tx) => tx.readEvents(viewer.supervisor ? null : viewer.agentId, afterId, limit));
  }

  latestEventId(): Promise<number> {
    return this.database.read((tx) => tx.latestEventId());
  }

  eventLogPrunedThrough(): Promise<number> {
    return this.database.read((tx) => tx.eventLogPrunedThrough());
  }

  markEventLog(now: number): Promise<void> {
    return markEventLog(this.database, now);
  }

  pruneEventLog(now: number, retentionMs: number, crmSync: boolean): Promise<{ pruned: number; more: boolean }> {
    return pruneEventLog(this.database, now, retentionMs, crmSync);
  }

  // Notes

  addNote(conversationId: string, viewer: Viewer & { agentName: string }, body: string, now: number): Promise<NoteRow> {
    return addNote(this.database, conversationId, viewer, body, now);
  }

  listNotes(conversationId: string): Promise<NoteRow[]> {
    return this.database.read((tx) => tx.listNotes(conversationId));
  }

  // Media

  saveUpload(upload: { bytes: Uint8Array; contentType: string; filename: string | null; publicToken: string; publicExpiresAt: number; agentId: string }): Promise<MediaRow> {
    return this.database.transaction((tx) => tx.insertUpload({ ...upload, id: newId('med'), createdAt: Date.now() }));
  }

  forgetUnsentUploads(now: number): Promise<{ forgotten: number; more: boolean }> {
    return forgetUnsentUploads(this.database, now);
  }

  getMedia(id: string): Promise<MediaRow | null> {
    return this.database.read((tx) => tx.getMedia(id));
  }

  getMediaBytes(id: string): Promise<Uint8Array | null> {
    return this.database.read((tx) => tx.getMediaBytes(id));
  }

  getMediaByPublicToken(token: string, now: number): Promise<MediaRow | null> {
    return this.database.read((tx) => tx.getMediaByPublicToken(token, now));
  }

  // Search

  searchMessages(viewer: Viewer, query: string, limit: number): Promise<SearchRow[]> {
    return this.database.read((tx) => tx.searchMessages(viewer.supervisor ? null : viewer.agentId, query, limit));
  }

  // Configuration data

  listQuickReplies(): Promise<QuickReply[]> {
    return this.database.read((tx) => tx.listConfig<QuickReply>('quick_reply'));
  }

  listScripts(): Promise<AgentScript[]> {
    return this.database.read((tx) => tx.listConfig<AgentScript>('script'));
  }

  listTemplates(): Promise<MessageTemplate[]> {
    return this.database.read((tx) => tx.listConfig<MessageTemplate>('template'));
  }

  seedConfigData(data: { quickReplies: QuickReply[]; scripts: AgentScript[]; templates: MessageTemplate[] }): Promise<void> {
    return seedConfigData(this.database, data);
  }

  // WhatsApp fidelity
  consentLog(customerPhone: string, businessPhone: string): Promise<ConsentEntry[]> {
    return this.database.read((tx) => tx.consentLog(customerPhone, businessPhone));
  }

  latestInbound(conversationId: string): Promise<MessageRow | null> {
    return this.database.read((tx) => tx.latestInbound(conversationId));
  }

  // The CRM record

  followEventsForCrm(now: number): Promise<number> {
    return followEventsForCrm(this.database, now);
  }

  claimCrmWrites(now: number, limit: number): Promise<CrmWrite[]> {
    return claimCrmWrites(this.database, now, limit);
  }

  crmActivityInput(conversationId: string): Promise<ActivityInput | null> {
    return crmActivityInput(this.database, conversationId);
  }

  recordCrmWrite(write: CrmWrite, outcome: WriteOutcome, now: number): Promise<void> {
    return recordCrmWrite(this.database, write, outcome, now);
  }

  listFailedCrmWrites(limit: number): Promise<CrmWrite[]> {
    return this.database.read((tx) => tx.listFailedCrmWrites(limit));
  }

  retryFailedCrmWrites(conversationIds: readonly string[] | null, limit: number, now: number): Promise<string[]> {
    return retryFailedCrmWrites(this.database, conversationIds, limit, now);
  }

  // Team work: queues, transfer, consult, wrap-up

  autoClose(afterMs: number, now: number): Promise<ConversationRow[]> {
    return autoClose(this.database, afterMs, now);
  }

  closeLapsedWrapUps(now: number): Promise<ConversationRow[]> {
    return closeLapsedWrapUps(this.database, now);
  }

  listQueues(viewer: Viewer, _now: number, all = false): Promise<QueueView[]> {
    return this.database.read((tx) => listQueues(tx, viewer, all));
  }

  putQueue(queue: QueueRow, now: number): Promise<QueueView> {
    return putQueue(this.database, queue, now);
  }

  announceQueue(queueId: string): Promise<void> {
    return announceQueue(this.database, queueId);
  }

  transfer(conversationId: string, viewer: Viewer & { agentName: string }, target: TransferTarget, offerExpiresAt: number, now: number): Promise<ConversationRow> {
    return transferConversation(this.database, conversationId, viewer, target, offerExpiresAt, now);
  }

  assign(conversationId: string, agentId: string, offerExpiresAt: number, now: number): Promise<ConversationRow> {
    return assignConversation(this.database, conversationId, agentId, offerExpiresAt, now);
  }

  startConsult(conversationId: string, viewer: Viewer, consultantId: string, now: number): Promise<ConversationRow> {
    return startConsult(this.database, conversationId, viewer, consultantId, now);
  }

  endConsult(conversationId: string, viewer: Viewer, now: number): Promise<ConversationRow> {
    return endConsult(this.database, conversationId, viewer, now);
  }

  supervisorOverview(now: number): Promise<Overview> {
    return this.database.read((tx) => supervisorOverview(tx, now));
  }

  listAgents(now: number): Promise<(AgentRow & { load: number })[]> {
    return this.database.read((tx) => tx.listAgentsWithLoad(LOAD_STATES, now));
  }
}
