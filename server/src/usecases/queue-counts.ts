/** A queue's counts (waiting, longest wait) told to its members and to supervisors when they change. */
import type { QueueCounts } from '@wcp/protocol';
import { isoOrNull } from '../domain/clock.ts';
import { membersOf } from '../domain/queues.ts';
import { LOAD_STATES } from '../routing/policy.ts';
import type { QueueCountsRow, QueueRow, QueueView, StoredEvent } from '../store/port.ts';
import type { Database, Tx } from '../store/tx.ts';

/** A queue's counts among all queues' (a queue with nothing waiting has no row). */
const countsFor = (queueId: string, counts: readonly QueueCountsRow[]): QueueCountsRow =>
  counts.find((c) => c.queueId === queueId) ?? { queueId, waiting: 0, longestWaitSince: null };

export const toQueueView = (q: QueueRow, counts: readonly QueueCountsRow[]): QueueView => {
  const { waiting, longestWaitSince } = countsFor(q.id, counts);
  return { ...q, waiting, longestWaitSince };
};

/**
 * Told once to supervisors (an event of no agent) and once to each member. A supervisor's
 * stream carries every agent's events, so the members' copies are left out of it: a supervisor
 * hears each change once (routes/api/events.ts).
 */
export function isMembersCopyOfQueueCounts(event: Pick<StoredEvent, 'type' | 'agentId'>): boolean {
  return event.type === 'queue' && event.agentId !== null;
}

/**
 * `reconfigured`: the queue itself changed (its name, members or numbers), told also to
 * `alsoTo`, the agents who left it or whose other queues changed with it, so that every panel
 * concerned reads its queues again (an agent's panel lists only its own).
 */
export async function emitQueueCounts(tx: Tx, queueId: string, reconfigured?: { alsoTo: readonly string[] }): Promise<void> {
  const counts = countsFor(queueId, await tx.queueCounts(queueId));
  const data: QueueCounts = { ...counts, longestWaitSince: isoOrNull(counts.longestWaitSince), ...(reconfigured ? { reconfigured: true } : {}) };
  const agents = await tx.listAgentsWithLoad(LOAD_STATES, 0);
  tx.emit('queue', null, data);
  const told = new Set([...membersOf(queueId, await tx.listQueues(), agents), ...(reconfigured?.alsoTo ?? [])]);
  for (const agentId of told) tx.emit('queue', agentId, data);
}

/** After a conversation opened in a queue (the webhook stays one statement; this is its own unit). */
export function announceQueue(db: Database, queueId: string): Promise<void> {
  return db.transaction((tx) => emitQueueCounts(tx, queueId));
}
