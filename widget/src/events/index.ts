/**
 * Every event a wcp-* element raises: one small class per file, `bubbles: true, composed: true`,
 * named by its static `eventName` and declared in `HTMLElementEventMap`.
 */
export { AcceptOfferEvent } from './accept-offer-event.js';
export { AddNoteEvent } from './add-note-event.js';
export { AssistQueryEvent } from './assist-query-event.js';
export { CancelReplyEvent } from './cancel-reply-event.js';
export { ChangePresenceEvent } from './change-presence-event.js';
export { ChangeStateEvent } from './change-state-event.js';
export { ConsultEvent } from './consult-event.js';
export { CreateRecordEvent } from './create-record-event.js';
export { DraftChangeEvent } from './draft-change-event.js';
export { InsertTextEvent, type InsertTextSource } from './insert-text-event.js';
export { KnowledgeSearchEvent } from './knowledge-search-event.js';
export { LinkRecordEvent } from './link-record-event.js';
export { LoadOlderEvent } from './load-older-event.js';
export { MediaRequestEvent } from './media-request-event.js';
export { OpenConversationEvent } from './open-conversation-event.js';
export { OpenRecordEvent } from './open-record-event.js';
export { OpenTemplatesEvent } from './open-templates-event.js';
export { RecordSearchEvent } from './record-search-event.js';
export { RejectOfferEvent } from './reject-offer-event.js';
export { ReplyToEvent } from './reply-to-event.js';
export { RetryMessageEvent } from './retry-message-event.js';
export { ScriptProgressEvent, type ScriptProgress } from './script-progress-event.js';
export { SelectConversationEvent } from './select-conversation-event.js';
export { SendMessageEvent } from './send-message-event.js';
export { TypingEvent } from './typing-event.js';
export { SendTemplateEvent } from './send-template-event.js';
export { ShowMessageEvent } from './show-message-event.js';
export { SIDE_TABS, SideTabChangeEvent, type SideTab } from './side-tab-change-event.js';
export { TemplatePickerCloseEvent } from './template-picker-close-event.js';
export { TranscriptSearchEvent } from './transcript-search-event.js';
export { TransferEvent, type TransferTarget } from './transfer-event.js';
export { UnlinkRecordEvent } from './unlink-record-event.js';
export { WrapUpChangeEvent, type WrapUpDraft } from './wrap-up-change-event.js';
