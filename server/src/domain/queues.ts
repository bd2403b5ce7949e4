/**
 * Queues: which queue an agent works, as a pure function of the queues configured. A queue
 * lists its members and the business numbers it takes; the default queue takes every other
 * number, and its members are the agents no other queue lists.
 */
import type { QueueRow } from '../store/port.ts';

export const DEFAULT_QUEUE_ID = 'general';

/** Who works queues: an agent, or a supervisor (who works only the queues that list it). */
export interface QueueWorker {
  id: string;
  role: 'agent' | 'supervisor';
}

/**
 * The queues an agent works: those listing it, or the default queue when none does. A supervisor
 * is no member of the default queue: it is offered conversations only of queues that list it.
 */
export function queuesOf(worker: QueueWorker, queues: readonly QueueRow[]): string[] {
  const listed = queues.filter((q) => q.id !== DEFAULT_QUEUE_ID && q.agentIds.includes(worker.id)).map((q) => q.id);
  return listed.length || worker.role === 'supervisor' ? listed : [DEFAULT_QUEUE_ID];
}

/** A queue's members among these agents. */
export function membersOf(queueId: string, queues: readonly QueueRow[], workers: readonly QueueWorker[]): string[] {
  return workers.filter((w) => queuesOf(w, queues).includes(queueId)).map((w) => w.id);
}

/** Business numbers travel as `whatsapp:+…` on the wire and are stored as E.164. */
export const toStoredNumber = (n: string): string => n.replace(/^whatsapp:/, '');
export const toWireNumber = (n: string): string => `whatsapp:${n}`;
