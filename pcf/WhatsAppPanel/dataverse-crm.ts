/**
 * The panel's CrmPort on Dataverse, through `context.webAPI` and `context.navigation` only.
 * Every Dataverse failure becomes a CrmError carrying Dataverse's own message, so the panel
 * shows the agent why (missing privilege, required column...) instead of an empty result.
 */
import {
  CrmError,
  type ConversationLink,
  type CrmContact,
  type CrmEntityType,
  type CrmPort,
  type CrmRecordRef,
  type CrmSearchResult,
  type KnowledgeArticle,
  type NewRecord,
  type AgentScript,
  type QuickReply,
} from '../../widget/src/ports/crm-port.ts';
import { inAgentLanguage, knowledgeSearchWords, rankKnowledge, scriptSteps, textContains } from '../../widget/src/ports/crm-library.ts';
import { normalizeGuid } from './map-context.ts';
import { isSamePhone, phoneEndings, storedPhoneVariants } from './phone.ts';
import { primaryLanguageId } from './user-locale.ts';
import { controlText } from '@wcp/widget/control-text';

type WebApi = Pick<ComponentFramework.WebApi, 'retrieveMultipleRecords' | 'createRecord' | 'deleteRecord'>;
type Navigation = Pick<ComponentFramework.Navigation, 'openForm'>;
type Row = ComponentFramework.WebApi.Entity;

export interface DataverseCrmOptions {
  /** Customer-facing article link, `{number}` and `{id}` replaced (e.g. a Power Pages knowledge base). */
  knowledgeUrlTemplate?: string;
  /** Rows per entity type in a search. */
  searchLimit?: number;
  /** The CRM user's language as a Windows LCID (`userSettings.languageId`): knowledge search shows the articles in it. */
  languageId?: number;
}

/** Web API entity set names (`/contacts(...)` in @odata.bind); Dataverse does not derive them. */
const ENTITY_SETS: Record<string, string> = { contact: 'contacts', account: 'accounts', incident: 'incidents' };

/** knowledgearticle.statecode for a published article. */
const KNOWLEDGE_PUBLISHED = 3;

/** The knowledgearticle columns a search looks in. */
const KNOWLEDGE_MATCH = ['title', 'keywords', 'description'];

/**
 * Dataverse filters but does not rank: the panel ranks this many matching articles itself,
 * so the best ones are among them even when many match a single common word.
 */
const KNOWLEDGE_CANDIDATES = 50;

/** Each article's language, by the `languagelocaleid` lookup to the `languagelocale` table. */
const KNOWLEDGE_LANGUAGE = 'languagelocaleid($select=localeid)';

const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

/** The contact's phone columns a customer's WhatsApp number is looked up in. */
const PHONE_COLUMNS = ['mobilephone', 'telephone1'] as const;
/** Contacts whose number ends in the same four digits, read to find the one that is this number. */
const PHONE_CANDIDATES = 50;
const CONTACT_COLUMNS = ['contactid', 'fullname', 'firstname', 'lastname', 'mobilephone', 'telephone1', 'emailaddress1', 'address1_city', '_parentcustomerid_value'];

const SEARCHES: Record<CrmEntityType, { select: string[]; match: string[]; toResult(row: Row): CrmSearchResult }> = {
  contact: {
    select: ['contactid', 'fullname', 'emailaddress1', 'mobilephone'],
    match: ['fullname', 'emailaddress1', 'mobilephone'],
    toResult: (row) => ({ entityType: 'contact', id: row.contactid, name: row.fullname ?? '', ...subtitle(row.emailaddress1 ?? row.mobilephone) }),
  },
  account: {
    select: ['accountid', 'name', 'accountnumber', 'telephone1'],
    match: ['name', 'accountnumber'],
    toResult: (row) => ({ entityType: 'account', id: row.accountid, name: row.name ?? '', ...subtitle(row.accountnumber ?? row.telephone1) }),
  },
  incident: {
    select: ['incidentid', 'title', 'ticketnumber'],
    match: ['title', 'ticketnumber'],
    toResult: (row) => ({ entityType: 'incident', id: row.incidentid, name: row.title ?? '', ...subtitle(row.ticketnumber) }),
  },
};

export class DataverseCrm implements CrmPort {
  constructor(
    private readonly webApi: WebApi,
    private readonly navigation: Navigation,
    private readonly options: DataverseCrmOptions = {},
  ) {}

  /**
   * The contacts with this number: first by its unformatted spellings (`eq`, which the
   * columns' indexes answer); when none is stored so, by how the number ends (a contact saved
   * as "+1 415-555-0100" or "+33 6 12 34 56 78"), each candidate then checked number by number.
   */
  async findContactsByPhone(phoneE164: string): Promise<CrmContact[]> {
    const equals = PHONE_COLUMNS.flatMap((column) => storedPhoneVariants(phoneE164).map((variant) => `${column} eq ${literal(variant)}`));
    const exact = await this.contactsWhere(`(${equals.join(' or ')})`, phoneE164);
    if (exact.length > 0) return exact;
    const endings = PHONE_COLUMNS.flatMap((column) => phoneEndings(phoneE164).map((ending) => `endswith(${column},${literal(ending)})`));
    return this.contactsWhere(`(${endings.join(' or ')})&$top=${PHONE_CANDIDATES}`, phoneE164);
  }

  private async contactsWhere(filter: string, phoneE164: string): Promise<CrmContact[]> {
    const rows = await this.retrieve('contact', `?$select=${CONTACT_COLUMNS.join(',')}&$filter=statecode eq 0 and ${filter}`);
    return rows.filter((row) => PHONE_COLUMNS.some((column) => isSamePhone(row[column] as string | null, phoneE164))).map(toContact);
  }

  async searchRecords(query: string, entityTypes: CrmEntityType[] = ['contact', 'account', 'incident']): Promise<CrmSearchResult[]> {
    const term = query.trim();
    if (!term) return [];
    const top = this.options.searchLimit ?? 10;
    const pages = await Promise.all(
      entityTypes.map(async (entityType) => {
        const search = SEARCHES[entityType];
        const filter = search.match.map((column) => `contains(${column},${containsLiteral(term)})`).join(' or ');
        const rows = await this.retrieve(entityType, `?$select=${search.select.join(',')}&$filter=statecode eq 0 and (${filter})&$top=${top}`);
        return rows.map(search.toResult);
      }),
    );
    return pages.flat();
  }

  async createRecord(record: NewRecord): Promise<CrmRecordRef> {
    if (record.entityType === 'contact') {
      const created = await this.call(() => this.webApi.createRecord('contact', { ...record.fields }));
      const name = [record.fields.firstname, record.fields.lastname].filter(Boolean).join(' ');
      return { entityType: 'contact', id: created.id, name };
    }
    const customer = record.customer;
    if (!customer || (customer.entityType !== 'contact' && customer.entityType !== 'account')) {
      throw new CrmError(controlText.caseNeedsCustomer(), 'customer_required');
    }
    const data = {
      ...record.fields,
      [`customerid_${customer.entityType}@odata.bind`]: `/${entitySet(customer.entityType)}(${customer.id})`,
    };
    const created = await this.call(() => this.webApi.createRecord('incident', data));
    return { entityType: 'incident', id: created.id, name: record.fields.title ?? '' };
  }

  /** The link is a note (annotation) on the record, so it shows in the record's timeline. */
  async linkConversation(record: CrmRecordRef, link: ConversationLink): Promise<{ linkId: string }> {
    const note = {
      subject: linkSubject(link.conversationId),
      notetext: link.summary,
      [`objectid_${record.entityType}@odata.bind`]: `/${entitySet(record.entityType)}(${record.id})`,
    };
    const created = await this.call(() => this.webApi.createRecord('annotation', note));
    return { linkId: created.id };
  }

  async unlinkConversation(_record: CrmRecordRef, linkId: string): Promise<void> {
    await this.call(() => this.webApi.deleteRecord('annotation', linkId));
  }

  /** The notes linkConversation left on the record for this conversation, found by their subject. */
  async findConversationLinks(record: CrmRecordRef, conversationId: string): Promise<string[]> {
    const id = normalizeGuid(record.id);
    // A lookup is compared with a bare GUID; an id that is not one names no record of Dataverse's.
    if (!GUID.test(id)) return [];
    const rows = await this.retrieve('annotation', `?$select=annotationid&$filter=_objectid_value eq ${id} and subject eq ${literal(linkSubject(conversationId))}`);
    return rows.map((row) => String(row.annotationid));
  }

  async openRecord(record: CrmRecordRef): Promise<void> {
    await this.call(() => this.navigation.openForm({ entityName: record.entityType, entityId: record.id }));
  }

  /**
   * Articles matching any word of the query (smart assist asks with several), most words first;
   * those in the user's language when the control knows it, as Dynamics 365's knowledge search.
   */
  async searchKnowledge(query: string): Promise<KnowledgeArticle[]> {
    const words = knowledgeSearchWords(query);
    if (words.length === 0) return [];
    const match = words.flatMap((word) => KNOWLEDGE_MATCH.map((column) => `contains(${column},${containsLiteral(word)})`)).join(' or ');
    const limit = this.options.searchLimit ?? 10;
    const language = this.options.languageId;
    const expand = language === undefined ? '' : `&$expand=${KNOWLEDGE_LANGUAGE}`;
    const rows = await this.retrieve(
      'knowledgearticle',
      `?$select=knowledgearticleid,title,description,keywords,articlepublicnumber${expand}&$filter=statecode eq ${KNOWLEDGE_PUBLISHED} and isinternal eq false and (${match})&$top=${Math.max(limit, KNOWLEDGE_CANDIDATES)}`,
    );
    // The same rule as quick replies: the user's language and language-less articles, or every
    // language when none is in it. Dataverse cannot compare LCIDs by their primary language, so
    // the rows it found are picked here.
    const shown = language === undefined ? rows : inAgentLanguage(rows, articleLanguage, primaryLanguage(language));
    // Every row Dataverse found is kept: its collation may match where textContains does not.
    const ranked = rankKnowledge(shown, words, (row) => ({ title: row.title ?? '', summary: `${row.keywords ?? ''} ${row.description ?? ''}` }), textContains);
    return ranked.slice(0, limit).map(({ article: row }) => ({
      id: row.knowledgearticleid,
      title: row.title ?? '',
      summary: row.description ?? '',
      url: this.articleUrl(row),
    }));
  }

  /**
   * Active `wcp_quickreply` rows for the agent's language. The panel falls back to the relay's
   * built-in library when this rejects (solution not imported, no read privilege on the table).
   */
  async listQuickReplies(language: string): Promise<QuickReply[]> {
    const rows = await this.library('quick replies', 'wcp_quickreply', '?$select=wcp_quickreplyid,wcp_title,wcp_text,wcp_language&$filter=statecode eq 0&$orderby=wcp_title');
    return inAgentLanguage(rows, (row) => row.wcp_language, language)
      .filter((row) => typeof row.wcp_text === 'string' && row.wcp_text.trim() !== '')
      .map((row) => ({ id: row.wcp_quickreplyid, title: row.wcp_title ?? '', body: row.wcp_text, tags: [] }));
  }

  /** Active `wcp_agentscript` rows, `wcp_steps` one step a line (`scriptSteps`). */
  async listScripts(): Promise<AgentScript[]> {
    const rows = await this.library('agent scripts', 'wcp_agentscript', '?$select=wcp_agentscriptid,wcp_name,wcp_steps&$filter=statecode eq 0&$orderby=wcp_name');
    return rows
      .map((row) => ({ id: row.wcp_agentscriptid, name: row.wcp_name ?? '', steps: scriptSteps(row.wcp_steps) }))
      .filter((script) => script.steps.length > 0);
  }

  /**
   * The library tables are optional for the panel: an org without the solution's tables, or an
   * agent without read privilege on them, gets none here (the panel then uses the relay's
   * library) and the admin finds Dataverse's reason on the console, not a broken panel.
   */
  private async library(what: string, entityType: string, query: string): Promise<Row[]> {
    try {
      return await this.retrieve(entityType, query);
    } catch (error) {
      const reason = error instanceof CrmError ? `${error.message} (${error.code})` : String(error);
      console.warn(`WhatsApp panel: ${what} could not be read from Dataverse (${entityType}): ${reason}. The relay's built-in ones are used.`);
      return [];
    }
  }

  private articleUrl(row: Row): string {
    const template = this.options.knowledgeUrlTemplate;
    if (!template) return '';
    return template
      .replaceAll('{number}', encodeURIComponent(row.articlepublicnumber ?? ''))
      .replaceAll('{id}', encodeURIComponent(row.knowledgearticleid));
  }

  private async retrieve(entityType: string, query: string): Promise<Row[]> {
    const page = await this.call(() => this.webApi.retrieveMultipleRecords(entityType, query));
    return page.entities;
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toCrmError(error);
    }
  }
}

/** webAPI rejects with `{ errorCode, message }` (errorCode a signed HRESULT, e.g. -2147220960). */
export function toCrmError(error: unknown): CrmError {
  if (error instanceof CrmError) return error;
  const { errorCode, message } = (error ?? {}) as { errorCode?: unknown; message?: unknown };
  const text = typeof message === 'string' && message ? message : controlText.dataverseFailed();
  const code = typeof errorCode === 'number' ? `dataverse_0x${(errorCode >>> 0).toString(16)}` : 'dataverse_error';
  return new CrmError(text, code);
}

function toContact(row: Row): CrmContact {
  const fields: Record<string, string> = {};
  for (const column of CONTACT_COLUMNS) {
    if (typeof row[column] === 'string' && !column.startsWith('_')) fields[column] = row[column];
  }
  const accountName = row[`_parentcustomerid_value${FORMATTED}`];
  if (typeof accountName === 'string') fields.accountname = accountName;
  return {
    id: row.contactid,
    fullName: row.fullname ?? '',
    ...optional('firstName', row.firstname),
    ...optional('lastName', row.lastname),
    ...optional('phone', row.mobilephone ?? row.telephone1),
    ...optional('email', row.emailaddress1),
    ...optional('accountName', accountName),
    ...optional('city', row.address1_city),
    fields,
  };
}

/** An LCID's primary language (2057 en-GB and 1033 en-US are both English), as the tag `inAgentLanguage` compares. */
function primaryLanguage(lcid: number): string {
  return String(primaryLanguageId(lcid));
}

/** The article's language as `KNOWLEDGE_LANGUAGE` brings it; the expanded lookup is null when the article has none. */
function articleLanguage(row: Row): string | undefined {
  const localeid: unknown = row.languagelocaleid?.localeid;
  return typeof localeid === 'number' ? primaryLanguage(localeid) : undefined;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The subject of the note that links a conversation to a record: how a reloaded panel finds it again. */
function linkSubject(conversationId: string): string {
  return `WhatsApp conversation ${conversationId}`;
}

/**
 * An OData string literal: quotes doubled, then percent-encoded, because webAPI appends the
 * options to the request URL as they are and `&`, `#` or `%` in a search would break it.
 */
export function literal(value: string): string {
  return `'${encodeURIComponent(value.replaceAll("'", "''"))}'`;
}

/**
 * What the agent typed, found as typed by `contains()`: Dataverse reads `%`, `_` and `[` in a
 * string filter as SQL LIKE wildcards ("Use wildcard characters", Filter rows using OData), so
 * "100%" or "_" would match every row and "Contoso [UK]" would miss itself; in brackets each is
 * the character itself.
 */
export function containsLiteral(value: string): string {
  return literal(value.replace(/[[%_]/g, (c) => `[${c}]`));
}

function entitySet(entityType: string): string {
  const set = ENTITY_SETS[entityType];
  if (!set) throw new CrmError(controlText.unsupportedEntity(entityType), 'unsupported_entity');
  return set;
}

function subtitle(value: unknown): { subtitle?: string } {
  return typeof value === 'string' && value ? { subtitle: value } : {};
}

function optional<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' && value ? ({ [key]: value } as Record<K, string>) : {};
}
