/** The WhatsApp communication panel: elements, the relay client and the types a host needs. */
export { WcpPanel, type FormRecord } from './wcp-panel/wcp-panel.js';
export { WcpIncoming } from './wcp-incoming/wcp-incoming.js';
export { WcpSessionTabs, type SessionSummary } from './wcp-session-tabs/wcp-session-tabs.js';
export { WcpThread, type ThreadMessage } from './wcp-thread/wcp-thread.js';
export { WcpComposer } from './wcp-composer/wcp-composer.js';
export { WcpWindowBanner } from './wcp-window-banner/wcp-window-banner.js';
export { WcpTemplatePicker } from './wcp-template-picker/wcp-template-picker.js';
export { WcpStateControl } from './wcp-state-control/wcp-state-control.js';
export { WcpPresence } from './wcp-presence/wcp-presence.js';
export * from './events/index.js';
export {
  createRelayClient,
  RelayError,
  type ConnectionState,
  type OutboxItem,
  type OutboxSettledListener,
  type RelayClient,
  type RelayClientOptions,
} from './relay/relay-client.js';
export type { OutboxStorage } from './relay/outbox.js';
export { CrmError } from './ports/crm-port.js';
export type {
  CrmContact,
  CrmEntityType,
  CrmPort,
  CrmRecordRef,
  CrmSearchResult,
  ConversationLink,
  KnowledgeArticle,
  NewRecord,
} from './ports/crm-port.js';
export { WINDOW_EXPIRED_MESSAGE } from './lib/protocol-values.js';
export type { PlaceholderContext } from './lib/placeholders.js';
