/**
 * Queues: which queue an agent works, as a pure function of the queues configured. A queue
 * lists its members and the business numbers it takes; the default queue takes every other
 * number, and its members are the agents no other queue lists.
 */
import type { QueueRow } from '../store/port.ts';

export const DEFAULT_QUEUE_ID = 'general';

/** The queues an agent works: those listing it, or the default queue when none does. */
export function queuesOf(agentId: string, queues: readonly QueueRow[]): string[] {
  const listed = queues.filter((q) => q.id !== DEFAULT_QUEUE_ID && q.agentIds.includes(agentId)).map((q) => q.id);
  return listed.length ? listed : [DEFAULT_QUEUE_ID];
}

/** A queue's members among these agents. */
export function membersOf(queueId: string, queues: readonly QueueRow[], agentIds: readonly string[]): string[] {
  return agentIds.filter((id) => queuesOf(id, queues).includes(queueId));
}

/** Business numbers travel as `whatsapp:+…` on the wire and are stored as E.164. */
export const toStoredNumber = (n: string): string => n.replace(/^whatsapp:/, '');
export const toWireNumber = (n: string): string => `whatsapp:${n}`;
