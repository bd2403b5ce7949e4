import { AddNoteEvent } from './add-note-event.js';
import { AssistQueryEvent } from './assist-query-event.js';
import { CreateRecordEvent } from './create-record-event.js';
import { InsertTextEvent } from './insert-text-event.js';
import { KnowledgeSearchEvent } from './knowledge-search-event.js';
import { LinkRecordEvent } from './link-record-event.js';
import { OpenConversationEvent } from './open-conversation-event.js';
import { OpenRecordEvent } from './open-record-event.js';
import { RecordSearchEvent } from './record-search-event.js';
import { ScriptProgressEvent } from './script-progress-event.js';
import { SideTabChangeEvent } from './side-tab-change-event.js';
import { TranscriptSearchEvent } from './transcript-search-event.js';
import { UnlinkRecordEvent } from './unlink-record-event.js';

export {
  AddNoteEvent,
  AssistQueryEvent,
  CreateRecordEvent,
  InsertTextEvent,
  KnowledgeSearchEvent,
  LinkRecordEvent,
  OpenConversationEvent,
  OpenRecordEvent,
  RecordSearchEvent,
  ScriptProgressEvent,
  SideTabChangeEvent,
  TranscriptSearchEvent,
  UnlinkRecordEvent,
};
export type { InsertTextSource } from './insert-text-event.js';
export type { ScriptProgress } from './script-progress-event.js';
export { SIDE_TABS, type SideTab } from './side-tab-change-event.js';

declare global {
  interface HTMLElementEventMap {
    'wcp-add-note': AddNoteEvent;
    'wcp-assist-query': AssistQueryEvent;
    'wcp-create-record': CreateRecordEvent;
    'wcp-insert-text': InsertTextEvent;
    'wcp-knowledge-search': KnowledgeSearchEvent;
    'wcp-link-record': LinkRecordEvent;
    'wcp-open-conversation': OpenConversationEvent;
    'wcp-open-record': OpenRecordEvent;
    'wcp-record-search': RecordSearchEvent;
    'wcp-script-progress': ScriptProgressEvent;
    'wcp-side-tab-change': SideTabChangeEvent;
    'wcp-transcript-search': TranscriptSearchEvent;
    'wcp-unlink-record': UnlinkRecordEvent;
  }
}
