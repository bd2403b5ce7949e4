/** Quick replies, agent scripts and simulator templates an empty store starts with. */
import { readFileSync } from 'node:fs';
import type { AgentScript, MessageTemplate, QuickReply } from '@wcp/protocol';
import type { Store } from '../store/port.ts';

const LIBRARY = new URL('../../seed/library.json', import.meta.url);

export async function seedLibrary(store: Store): Promise<void> {
  const data = JSON.parse(readFileSync(LIBRARY, 'utf8')) as { quickReplies: QuickReply[]; scripts: AgentScript[]; templates: MessageTemplate[] };
  await store.seedConfigData(data);
}
