/** Quick replies, agent scripts and approved templates are seeded on first start; an item already there is kept as it is. */
import type { AgentScript, MessageTemplate, QuickReply } from '@wcp/protocol';
import type { Database } from '../store/tx.ts';

export function seedConfigData(db: Database, data: { quickReplies: QuickReply[]; scripts: AgentScript[]; templates: MessageTemplate[] }): Promise<void> {
  return db.transaction(async (tx) => {
    for (const [position, item] of data.quickReplies.entries()) await tx.insertConfig('quick_reply', item.id, position, item);
    for (const [position, item] of data.scripts.entries()) await tx.insertConfig('script', item.id, position, item);
    for (const [position, item] of data.templates.entries()) await tx.insertConfig('template', item.contentSid, position, item);
  });
}
