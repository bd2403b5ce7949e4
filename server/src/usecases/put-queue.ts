/** A supervisor creates or replaces a queue: its name, members and business numbers. */
import { DomainError } from '../domain/errors.ts';
import { DEFAULT_QUEUE_ID, queuesOf, type QueueWorker, toWireNumber } from '../domain/queues.ts';
import { LOAD_STATES } from '../routing/policy.ts';
import type { QueueRow, QueueView } from '../store/port.ts';
import type { Database, Tx } from '../store/tx.ts';
import { listQueues } from './list-queues.ts';
import { emitQueueCounts } from './queue-counts.ts';
import { withdrawOffer } from './withdraw-offer.ts';

export function putQueue(db: Database, queue: QueueRow, now: number): Promise<QueueView> {
  return db.transaction(async (tx) => {
    const before = await tx.listQueues();
    // The default queue's members are the agents in no other queue: it lists none.
    const taken = await tx.putQueue(queue.id === DEFAULT_QUEUE_ID ? { ...queue, agentIds: [] } : queue);
    // A number routes to one queue. Taken silently, the other queue would stop getting its
    // customers with no word to the supervisor who set it up.
    if (taken) throw new DomainError('number_in_another_queue', `${toWireNumber(taken.number)} is in the queue "${taken.queueName}": take it out of that queue first.`);
    const after = await tx.listQueues();
    const agents = await tx.listAgentsWithLoad(LOAD_STATES, now);
    await withdrawOffersOfLeavers(tx, agents, before, after, now);
    // Its members after are told anyway; those who were members, or whose other queues moved
    // with this one (the default queue left on joining another), are told too.
    const alsoTo = agents.filter((a) => queuesOf(a, before).includes(queue.id) || queuesOf(a, before).join() !== queuesOf(a, after).join()).map((a) => a.id);
    await emitQueueCounts(tx, queue.id, { alsoTo });
    return (await listQueues(tx, null)).find((q) => q.id === queue.id)!;
  });
}

/**
 * An agent who no longer works a queue (taken out of it, or out of the default queue by joining
 * another) loses the offers the router made it of that queue's customers: they go back to the
 * router, which offers them to the queue's members. An offer a person named the agent in (a
 * supervisor's assignment, a transfer to that agent) stays its: it was made whatever the queue.
 */
async function withdrawOffersOfLeavers(tx: Tx, agents: readonly QueueWorker[], before: readonly QueueRow[], after: readonly QueueRow[], now: number): Promise<void> {
  for (const agent of agents) {
    const left = new Set(queuesOf(agent, before));
    for (const id of queuesOf(agent, after)) left.delete(id);
    if (left.size === 0) continue;
    // Locked, and only those still live: an accept or expiry may have committed since.
    for (const c of await tx.listLiveOffersTo(agent.id, now)) {
      if (left.has(c.queueId) && !c.offerNamed) await withdrawOffer(tx, c, 'reassigned', now);
    }
  }
}
