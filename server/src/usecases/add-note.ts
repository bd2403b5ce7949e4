/** An agent writes a note on their conversation, or one it consults on (internal: the customer never sees it). */
import { toApiNote } from '../api-mapping.ts';
import { listenersOf } from '../domain/conversation-rules.ts';
import { newId } from '../domain/ids.ts';
import type { ConversationRow, NoteRow, Viewer } from '../store/port.ts';
import type { Database, Tx } from '../store/tx.ts';
import { requireActionable } from './conversation-access.ts';

export function addNote(db: Database, conversationId: string, viewer: Viewer & { agentName: string }, body: string, now: number): Promise<NoteRow> {
  return db.transaction(async (tx) => {
    const c = await requireActionable(tx, conversationId, viewer, now, true); // a consultant adds notes too
    return writeNote(tx, c, viewer, body, now);
  });
}

/** A note by this agent on the conversation, told to those who hear of it (a transfer's note too: it outlives the offer). */
export async function writeNote(tx: Tx, c: ConversationRow, author: Viewer & { agentName: string }, body: string, now: number): Promise<NoteRow> {
  const note = await tx.insertNote({ id: newId('nt'), conversationId: c.id, agentId: author.agentId, agentName: author.agentName, body, createdAt: now });
  for (const agentId of listenersOf(c)) tx.emit('note', agentId, { conversationId: c.id, note: toApiNote(note) });
  return note;
}
