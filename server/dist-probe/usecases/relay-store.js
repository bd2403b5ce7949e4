import { LOAD_STATES, ROUTABLE_PRESENCES } from "../routing/policy.js";
import { newId } from "../domain/ids.js";
import { claimCrmWrites, crmActivityInput, followEventsForCrm, recordCrmWrite } from "./crm-sync.js";
import { acceptOffer } from "./accept-offer.js";
import { addNote } from "./add-note.js";
import { applyStatus } from "./apply-status.js";
import { changeState } from "./change-state.js";
import { claimOutbox } from "./claim-outbox.js";
import { customerHistory, listVisible, parseCursor } from "./conversation-access.js";
import { expireOffers } from "./expire-offers.js";
import { linkRecord } from "./link-record.js";
import { offerConversation } from "./offer-conversation.js";
import { queueOutbound } from "./queue-outbound.js";
import { inboundReceipt, receiveInbound } from "./receive-inbound.js";
import { recordSendResult } from "./record-send-result.js";
import { rejectOffer } from "./reject-offer.js";
import { requeueOutbound } from "./requeue-outbound.js";
import { seedConfigData } from "./seed-config-data.js";
import { setPresence } from "./set-presence.js";
import { queuesOf } from "../domain/queues.js";
import { assignConversation } from "./assign-conversation.js";
import { autoClose } from "./auto-close.js";
import { endConsult } from "./end-consult.js";
import { listQueues } from "./list-queues.js";
import { putQueue } from "./put-queue.js";
import { announceQueue } from "./queue-counts.js";
import { startConsult } from "./start-consult.js";
import { supervisorOverview } from "./supervisor-overview.js";
import { transferConversation } from "./transfer-conversation.js";
export class RelayStore {
    database;
    constructor(database) {
        this.database = database;
    }
    get kind() {
        return this.database.kind;
    }
    migrate() {
        return this.database.migrate();
    }
    ping() {
        return this.database.ping();
    }
    close() {
        return this.database.close();
    }
    metricGauges() {
        return this.database.read((tx) => tx.metricGauges());
    }
    // Agents and presence
    upsertAgent(agent, capacity, now) {
        return this.database.transaction((tx) => tx.upsertAgent(agent, capacity, now));
    }
    getAgent(id) {
        return this.database.read((tx) => tx.getAgent(id));
    }
    setPresence(agentId, presence, now) {
        return setPresence(this.database, agentId, presence, now);
    }
    // Webhooks
    recordInbound(inbound) {
        return receiveInbound(this.database, inbound);
    }
    async recordInboundReceipt(inbound, committed) {
        return inboundReceipt(await receiveInbound(this.database, inbound, (result) => committed(inboundReceipt(result))));
    }
    applyStatus(update) {
        return applyStatus(this.database, update);
    }
    // Conversations
    getConversation(id) {
        return this.database.read((tx) => tx.getConversation(id));
    }
    listConversations(viewer, state, now) {
        return this.database.read((tx) => listVisible(tx, viewer, state, now));
    }
    listCustomerConversations(viewer, customerPhone) {
        return this.database.read((tx) => customerHistory(tx, viewer, customerPhone));
    }
    listUnoffered(now, limit) {
        return this.database.read((tx) => tx.listUnoffered(now, limit));
    }
    routingSnapshot(now) {
        return this.database.read(async (tx) => {
            const queues = await tx.listQueues();
            const agents = await tx.agentsWithLoad(ROUTABLE_PRESENCES, LOAD_STATES, now);
            return { agents: agents.map((a) => ({ ...a, queueIds: queuesOf(a.id, queues) })) };
        });
    }
    declinedBy(conversationId, since) {
        return this.database.read((tx) => tx.declinedBy(conversationId, since));
    }
    createOffer(conversationId, agentId, expiresAt, now) {
        return offerConversation(this.database, conversationId, agentId, expiresAt, now);
    }
    expireOffers(now) {
        return expireOffers(this.database, now);
    }
    acceptOffer(conversationId, agentId, now) {
        return acceptOffer(this.database, conversationId, agentId, now);
    }
    rejectOffer(conversationId, agentId, now) {
        return rejectOffer(this.database, conversationId, agentId, now);
    }
    changeState(conversationId, viewer, state, now, wrapUp) {
        return changeState(this.database, conversationId, viewer, state, now, wrapUp);
    }
    setLinkedRecord(conversationId, viewer, record, now) {
        return linkRecord(this.database, conversationId, viewer, record, now);
    }
    // Messages
    listMessages(conversationId, before, limit) {
        const beforeSeq = parseCursor(before);
        return this.database.read((tx) => tx.listMessages(conversationId, beforeSeq, limit));
    }
    getMessage(id) {
        return this.database.read((tx) => tx.getMessage(id));
    }
    queueOutbound(record) {
        return queueOutbound(this.database, record);
    }
    requeueOutbound(messageId, now) {
        return requeueOutbound(this.database, messageId, now);
    }
    // Outbox
    claimOutbox(now, limit) {
        return claimOutbox(this.database, now, limit);
    }
    recordSendResult(messageId, result, now) {
        return recordSendResult(this.database, messageId, result, now);
    }
    nextOutboxDueAt() {
        return this.database.read((tx) => tx.nextOutboxDueAt());
    }
    // Events
    appendEvent(type, agentId, data) {
        return this.database.transaction((tx) => tx.appendEvent(type, agentId, data));
    }
    readEvents(viewer, afterId, limit) {
        return this.database.read((tx) => tx.readEvents(viewer.supervisor ? null : viewer.agentId, afterId, limit));
    }
    latestEventId() {
        return this.database.read((tx) => tx.latestEventId());
    }
    // Notes
    addNote(conversationId, viewer, body, now) {
        return addNote(this.database, conversationId, viewer, body, now);
    }
    listNotes(conversationId) {
        return this.database.read((tx) => tx.listNotes(conversationId));
    }
    // Media
    saveUpload(upload) {
        return this.database.transaction((tx) => tx.insertUpload({ ...upload, id: newId('med'), createdAt: Date.now() }));
    }
    getMedia(id) {
        return this.database.read((tx) => tx.getMedia(id));
    }
    getMediaBytes(id) {
        return this.database.read((tx) => tx.getMediaBytes(id));
    }
    getMediaByPublicToken(token, now) {
        return this.database.read((tx) => tx.getMediaByPublicToken(token, now));
    }
    // Search
    searchMessages(viewer, query, limit) {
        return this.database.read((tx) => tx.searchMessages(viewer.supervisor ? null : viewer.agentId, query, limit));
    }
    // Configuration data
    listQuickReplies() {
        return this.database.read((tx) => tx.listConfig('quick_reply'));
    }
    listScripts() {
        return this.database.read((tx) => tx.listConfig('script'));
    }
    listTemplates() {
        return this.database.read((tx) => tx.listConfig('template'));
    }
    seedConfigData(data) {
        return seedConfigData(this.database, data);
    }
    // WhatsApp fidelity
    consentLog(customerPhone, businessPhone) {
        return this.database.read((tx) => tx.consentLog(customerPhone, businessPhone));
    }
    latestInbound(conversationId) {
        return this.database.read((tx) => tx.latestInbound(conversationId));
    }
    // The CRM record
    followEventsForCrm(now) {
        return followEventsForCrm(this.database, now);
    }
    claimCrmWrites(now, limit) {
        return claimCrmWrites(this.database, now, limit);
    }
    crmActivityInput(conversationId) {
        return crmActivityInput(this.database, conversationId);
    }
    recordCrmWrite(write, outcome, now) {
        return recordCrmWrite(this.database, write, outcome, now);
    }
    listFailedCrmWrites(limit) {
        return this.database.read((tx) => tx.listFailedCrmWrites(limit));
    }
    // Team work: queues, transfer, consult, wrap-up
    autoClose(afterMs, now) {
        return autoClose(this.database, afterMs, now);
    }
    listQueues(viewer) {
        return this.database.read((tx) => listQueues(tx, viewer));
    }
    putQueue(queue) {
        return putQueue(this.database, queue);
    }
    announceQueue(queueId) {
        return announceQueue(this.database, queueId);
    }
    transfer(conversationId, viewer, target, offerExpiresAt, now) {
        return transferConversation(this.database, conversationId, viewer, target, offerExpiresAt, now);
    }
    assign(conversationId, agentId, offerExpiresAt, now) {
        return assignConversation(this.database, conversationId, agentId, offerExpiresAt, now);
    }
    startConsult(conversationId, viewer, consultantId, now) {
        return startConsult(this.database, conversationId, viewer, consultantId, now);
    }
    endConsult(conversationId, viewer, now) {
        return endConsult(this.database, conversationId, viewer, now);
    }
    supervisorOverview(now) {
        return this.database.read((tx) => supervisorOverview(tx, now));
    }
    listAgents(now) {
        return this.database.read((tx) => tx.listAgentsWithLoad(LOAD_STATES, now));
    }
}
//# sourceMappingURL=relay-store.js.map