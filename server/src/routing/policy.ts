/**
 * Who gets offered an open conversation: one Available agent with spare capacity at a
 * time, then Busy agents with spare capacity; never Do not disturb, Away or Offline.
 * Agents who declined (or let the offer expire) are skipped.
 */
import type { ConversationState, Presence } from '@wcp/protocol';

export interface RoutingCandidate {
  id: string;
  presence: Presence;
  capacity: number;
  /** Conversations assigned plus offers pending. */
  load: number;
  /** Last time this agent was offered something, for fair rotation. */
  lastOfferedAt: number | null;
  /** The queues it works (domain/queues.ts queuesOf); absent: every queue. */
  queueIds?: readonly string[];
}

const PREFERENCE: Partial<Record<Presence, number>> = { available: 0, busy: 1 };

/** Presences that can be offered work. */
export const ROUTABLE_PRESENCES: readonly Presence[] = ['available', 'busy'];

/** A conversation assigned to an agent in one of these states counts toward the agent's capacity. */
export const LOAD_STATES: readonly ConversationState[] = ['active', 'waiting', 'wrapup'];

/** Presence and capacity: whether an agent can be offered one more conversation now. */
export function canTakeWork(c: Pick<RoutingCandidate, 'presence' | 'load' | 'capacity'>): boolean {
  return PREFERENCE[c.presence] !== undefined && c.load < c.capacity;
}

/**
 * `queueId`: only the queue's members (candidates' `queueIds`, domain/queues.ts queuesOf);
 * null: anyone (is there room at all?).
 */
export function chooseAgent(candidates: readonly RoutingCandidate[], declinedBy: ReadonlySet<string>, queueId: string | null = null): string | null {
  const eligible = candidates.filter(
    (c) => canTakeWork(c) && !declinedBy.has(c.id) && (queueId === null || c.queueIds === undefined || c.queueIds.includes(queueId)),
  );
  eligible.sort(
    (a, b) =>
      PREFERENCE[a.presence]! - PREFERENCE[b.presence]! ||
      a.load - b.load ||
      (a.lastOfferedAt ?? 0) - (b.lastOfferedAt ?? 0) ||
      a.id.localeCompare(b.id),
  );
  return eligible[0]?.id ?? null;
}
