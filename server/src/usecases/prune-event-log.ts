/**
 * The event log is the panels' replay log: a panel that reconnects reads what it missed from
 * it, and nothing reads an event again after that. It is kept for EVENT_LOG_RETENTION, not for
 * ever. Events carry no time (the webhook writes none), so the log's newest id is noted once an
 * hour (markEventLog) and the events up to the newest note older than the retention go, oldest
 * first, a batch per transaction; never one the CRM writer has not read yet. A panel that
 * resumes from before what was pruned is told to load its conversations again (routes/api/events.ts).
 */
import type { Database } from '../store/tx.ts';

/** How often the log's newest id is noted: the retention is kept to within this. */
export const EVENT_LOG_MARK_EVERY_MS = 60 * 60_000;
/**
 * Events removed per transaction. SQLite's writer is the relay's thread: a batch of 500 held it
 * 2.4 ms at p50 (200,000 events in 1.2 s, 2-core host), one of 5,000 16 ms, up to 58.
 */
export const EVENT_LOG_PRUNE_BATCH = 500;

export function markEventLog(db: Database, now: number): Promise<void> {
  return db.transaction((tx) => tx.markEventLog(now, now - EVENT_LOG_MARK_EVERY_MS));
}

/**
 * One batch. `crmSync`: the CRM writer reads the log (Dataverse is configured): what it has not
 * read stays. `more`: another batch is due now.
 */
export function pruneEventLog(db: Database, now: number, retentionMs: number, crmSync: boolean): Promise<{ pruned: number; more: boolean }> {
  return db.transaction(async (tx) => {
    // Locked: instances pruning at once take turns, each from where the last stopped.
    const through = await tx.eventLogPrunedThrough(true);
    const marked = await tx.eventLogMarkAt(now - retentionMs);
    if (marked === null) return { pruned: 0, more: false };
    const bound = crmSync ? Math.min(marked, await tx.crmCursor(false)) : marked;
    if (bound <= through) return { pruned: 0, more: false };
    const upTo = Math.min(bound, through + EVENT_LOG_PRUNE_BATCH);
    return { pruned: await tx.pruneEvents(through, upTo, now - retentionMs), more: upTo < bound };
  });
}
