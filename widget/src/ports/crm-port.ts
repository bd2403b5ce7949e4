/**
 * What the panel needs from the CRM. Implemented in pcf/ with `context.webAPI` and
 * `context.navigation`, and in the demo page with an in-memory fake seeded from JSON.
 * Every method rejects with a `CrmError` whose message can be shown to the agent.
 */
import type { AgentScript, QuickReply } from '@wcp/protocol';

export type { AgentScript, QuickReply };

export type CrmEntityType = 'contact' | 'account' | 'incident';

export interface CrmRecordRef {
  entityType: CrmEntityType | string;
  id: string;
  /** Primary name: full name for a contact, title for a case. */
  name: string;
}

export interface CrmSearchResult extends CrmRecordRef {
  /** A second line for the result list: phone, email, case number... */
  subtitle?: string;
}

export interface CrmContact {
  id: string;
  fullName: string;
  firstName?: string;
  lastName?: string;
  /** As stored in the CRM; the adapter matches on its E.164 form. */
  phone?: string;
  email?: string;
  accountName?: string;
  city?: string;
  /** Any further columns, for template and quick-reply placeholders ({record.<field>}). */
  fields?: Record<string, string>;
}

export interface KnowledgeArticle {
  id: string;
  title: string;
  summary: string;
  /** A link the customer can open. */
  url: string;
}

export interface NewRecord {
  entityType: 'contact' | 'incident';
  /** Column values, e.g. { firstname, lastname, mobilephone } or { title, description }. */
  fields: Record<string, string>;
  /** For a case: the customer it belongs to. */
  customer?: CrmRecordRef;
}

export interface ConversationLink {
  conversationId: string;
  /** Text stored with the link in the CRM (e.g. a transcript excerpt). */
  summary: string;
}

export interface CrmPort {
  /** Contacts whose phone matches this E.164 number. Exactly one match = authenticated customer. */
  findContactsByPhone(phoneE164: string): Promise<CrmContact[]>;
  searchRecords(query: string, entityTypes?: CrmEntityType[]): Promise<CrmSearchResult[]>;
  createRecord(record: NewRecord): Promise<CrmRecordRef>;
  /** Associates the conversation with the record in the CRM; returns an id for unlinking. */
  linkConversation(record: CrmRecordRef, link: ConversationLink): Promise<{ linkId: string }>;
  unlinkConversation(record: CrmRecordRef, linkId: string): Promise<void>;
  /**
   * The ids of the links linkConversation made for this conversation on this record, for a
   * panel that did not make them (the page was reloaded since); none when the relay linked the
   * record on its own (on accept) or the link was removed in the CRM.
   */
  findConversationLinks(record: CrmRecordRef, conversationId: string): Promise<string[]>;
  openRecord(record: CrmRecordRef): Promise<void>;
  searchKnowledge(query: string): Promise<KnowledgeArticle[]>;
  /**
   * Active quick replies admins keep in the CRM (`wcp_quickreply`), by title: those in the
   * agent's language (BCP 47, e.g. "de" or "pt-BR") and those with none, or all of them when
   * none is in it (`inAgentLanguage` in ./crm-library.ts). A CRM without a library leaves this
   * out; the panel then uses the relay's built-in one, as it does when this fails or finds none.
   */
  listQuickReplies?(language: string): Promise<QuickReply[]>;
  /** Active agent scripts admins keep in the CRM (`wcp_agentscript`), by name; optional like `listQuickReplies`. */
  listScripts?(): Promise<AgentScript[]>;
}

export class CrmError extends Error {
  override name = 'CrmError';
  constructor(
    message: string,
    readonly code: string = 'crm_error',
  ) {
    super(message);
  }
}
