/** An agent writes a note on their conversation, or one it consults on (internal: the customer never sees it). */
import { toApiNote } from '../api-mapping.ts';
import { listenersOf } from '../domain/conversation-rules.ts';
import { newId } from '../domain/ids.ts';
import type { NoteRow, Viewer } from '../store/port.ts';
import type { Database } from '../store/tx.ts';
import { requireActionable } from './conversation-access.ts';

export function addNote(db: Database, conversationId: string, viewer: Viewer & { agentName: string }, body: string, now: number): Promise<NoteRow> {
  return db.transaction(async (tx) => {
    const c = await requireActionable(tx, conversationId, viewer, true); // a consultant adds notes too
    const note = await tx.insertNote({ id: newId('nt'), conversationId, agentId: viewer.agentId, agentName: viewer.agentName, body, createdAt: now });
    for (const agentId of listenersOf(c)) tx.emit('note', agentId, { conversationId, note: toApiNote(note) });
    return note;
  });
}
