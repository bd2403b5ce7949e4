/**
 * The CRM record follows the event log: each change to a conversation (accepted, state
 * changed, linked, transferred, closed — a `state` event), and a reply WhatsApp could not
 * deliver (a `status` event; its transcript line says so), marks its activity due, and the CRM
 * writer (crm/crm-writer.ts) upserts it whole, from what the relay holds at the time. Durable
 * like the outbox: a mark survives a crash, a write is leased, retried with backoff and done
 * once (an upsert by a fixed key); one that cannot succeed is kept for supervisors.
 */
import type { MessageStatus } from '@wcp/protocol';
import { isNotDelivered } from '@wcp/protocol/status-order';
import type { WriteOutcome } from '../crm/dataverse.ts';
import type { ActivityInput } from '../crm/activity.ts';
import type { StoredEvent } from '../store/port.ts';
import type { CrmWrite, Database } from '../store/tx.ts';

/** A claimed write not recorded by then belongs to a stopped process: another takes it. */
export const CRM_LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;
const EVENTS_PER_PASS = 500;

/** 1 s, 2 s, 4 s … up to 5 minutes; Dataverse's Retry-After (service protection limits) wins. */
export function crmRetryDelay(attempts: number, retryAfterMs: number | null): number {
  return retryAfterMs ?? Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** Reads the event log past the writer's cursor and marks the conversations that changed; how many events it read. */
export function followEventsForCrm(db: Database, now: number): Promise<number> {
  return db.transaction(async (tx) => {
    // Locked: instances following at once take turns, and each event is looked at once.
    const cursor = await tx.crmCursor();
    const events = await tx.readEvents(null, cursor, EVENTS_PER_PASS);
    const changed = new Set(events.filter(changesActivity).map((e) => (e.data as { conversationId: string }).conversationId));
    for (const conversationId of changed) await tx.markCrmDue(conversationId, now);
    if (events.length) await tx.setCrmCursor(events[events.length - 1]!.id);
    return events.length;
  });
}

/**
 * Whether an event changes what the activity says. A delivery failure does (the transcript marks
 * the reply `[not delivered]`) and may come after the close, the status callback late: the
 * completed record must not go on telling a reader the customer was told. Other statuses (sent,
 * delivered, read) change nothing it shows, and are many.
 */
function changesActivity(event: StoredEvent): boolean {
  if (event.type === 'state') return true;
  return event.type === 'status' && isNotDelivered((event.data as { status: MessageStatus }).status);
}

export function claimCrmWrites(db: Database, now: number, limit: number): Promise<CrmWrite[]> {
  return db.transaction((tx) => tx.claimCrmWrites(now, now + CRM_LEASE_MS, limit));
}

/** Everything the activity row is made from, read as it is now. */
export function crmActivityInput(db: Database, conversationId: string): Promise<ActivityInput | null> {
  return db.read(async (tx) => {
    const conversation = await tx.getConversation(conversationId);
    if (!conversation) return null;
    const messages = [];
    for (let before = Number.MAX_SAFE_INTEGER; ; ) {
      const page = await tx.listMessages(conversationId, before, 200);
      messages.unshift(...page.items);
      if (page.next === null) break;
      before = Number(page.next);
    }
    const notes = await tx.listNotes(conversationId);
    const agent = conversation.assignedAgentId ? await tx.getAgent(conversation.assignedAgentId) : null;
    const senders = new Map<string, string>();
    for (const agentId of new Set(messages.map((m) => m.agentId))) {
      const sender = agentId === null ? null : await tx.getAgent(agentId);
      if (sender) senders.set(sender.id, sender.name);
    }
    return { conversation, messages, notes, agentName: agent?.name ?? null, senders };
  });
}

export function recordCrmWrite(db: Database, write: CrmWrite, outcome: WriteOutcome, now: number): Promise<void> {
  return db.transaction(async (tx) => {
    if (outcome.kind === 'done') {
      // Nothing to finish: this write outlived its lease, and another writer took it over and wrote
      // the conversation as it is now. This older write may have reached Dataverse after that one
      // (a closed activity back to open), so the conversation is written once more.
      if (!(await tx.finishCrmWrite(write.conversationId, write.version))) await tx.markCrmDue(write.conversationId, now);
    } else if (outcome.kind === 'retry') await tx.retryCrmWrite(write.conversationId, now + crmRetryDelay(write.attempts, outcome.retryAfterMs), outcome.error);
    else await tx.failCrmWrite(write.conversationId, now, outcome.error);
  });
}

/**
 * A supervisor's "Retry" after fixing what Dataverse refused (a security role granted, the
 * solution imported): those writes are due again from scratch, as if the conversation had just
 * changed. `conversationIds` null: every refused write (the newest `limit`). Returns the
 * conversations marked; an id with no refused write is left alone.
 */
export function retryFailedCrmWrites(db: Database, conversationIds: readonly string[] | null, limit: number, now: number): Promise<string[]> {
  return db.transaction(async (tx) => {
    const failed = (await tx.listFailedCrmWrites(limit)).map((w) => w.conversationId);
    const retried = conversationIds === null ? failed : failed.filter((id) => conversationIds.includes(id));
    for (const conversationId of retried) await tx.markCrmDue(conversationId, now);
    return retried;
  });
}
