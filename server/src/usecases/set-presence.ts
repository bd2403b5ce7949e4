/** An agent sets their presence (Available, Busy, Do not disturb, Away, Offline); the router reads it. */
import type { Presence } from '@wcp/protocol';
import { notFound } from '../domain/errors.ts';
import type { AgentRow } from '../store/port.ts';
import type { Database } from '../store/tx.ts';

export function setPresence(db: Database, agentId: string, presence: Presence, now: number): Promise<AgentRow> {
  return db.transaction(async (tx) => {
    const agent = await tx.updatePresence(agentId, presence, now);
    if (!agent) throw notFound('Agent');
    tx.emit('presence', agentId, { agentId, presence });
    return agent;
  });
}
