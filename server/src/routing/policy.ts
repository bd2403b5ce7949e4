/**
 * Who gets offered an open conversation: one Available agent with spare capacity at a
 * time, then Busy agents with spare capacity; never Do not disturb, Away or Offline.
 * Agents who declined (or let the offer expire) are skipped.
 */
import { ROUTABLE_PRESENCES, type ConversationState, type Presence } from '@wcp/protocol';

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

/** Presences that can be offered work, most preferred first (one rule with the panel's, in the protocol). */
export { ROUTABLE_PRESENCES };
const preference = (presence: Presence) => ROUTABLE_PRESENCES.indexOf(presence);

/** A conversation assigned to an agent in one of these states counts toward the agent's capacity. */
export const LOAD_STATES: readonly ConversationState[] = ['active', 'waiting', 'wrapup'];

/** Presence and capacity: whether an agent can be offered one more conversation now. */
export function canTakeWork(c: Pick<RoutingCandidate, 'presence' | 'load' | 'capacity'>): boolean {
  return ROUTABLE_PRESENCES.includes(c.presence) && c.load < c.capacity;
}

/**
 * `queueId`: only the queue's members (candidates' `queueIds`, domain/queues.ts queuesOf);
 * null: anyone (is there room at all?). `lastResort`: the agent who handed the conversation over
 * (a transfer): offered it again only when no one else can take it, so a transfer the colleague
 * rejected comes back rather than leave the customer waiting while its sender is free.
 */
export function chooseAgent(candidates: readonly RoutingCandidate[], declinedBy: ReadonlySet<string>, queueId: string | null = null, lastResort: string | null = null): string | null {
  const eligible = candidates.filter(
    (c) => canTakeWork(c) && !declinedBy.has(c.id) && (queueId === null || c.queueIds === undefined || c.queueIds.includes(queueId)),
  );
  eligible.sort(
    (a, b) =>
      Number(a.id === lastResort) - Number(b.id === lastResort) ||
      preference(a.presence) - preference(b.presence) ||
      a.load - b.load ||
      (a.lastOfferedAt ?? 0) - (b.lastOfferedAt ?? 0) ||
      a.id.localeCompare(b.id),
  );
  return eligible[0]?.id ?? null;
}
