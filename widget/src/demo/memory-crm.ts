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
} from '../ports/crm-port.js';
import { inAgentLanguage, rankKnowledge, scriptSteps } from '../ports/crm-library.js';
import { tokenize } from '../side/smart-assist/tokens.js';
import { toE164 } from '../lib/phone.js';

export interface SeedContact {
  id: string;
  firstName: string;
  lastName: string;
  /** As a person typed it into the CRM, not necessarily E.164. */
  mobilePhone?: string;
  email?: string;
  accountId?: string;
  city?: string;
  jobTitle?: string;
}
export interface SeedAccount {
  id: string;
  name: string;
  city?: string;
  phone?: string;
}
export interface SeedCase {
  id: string;
  ticketNumber: string;
  title: string;
  description?: string;
  /** A contact or account id. */
  customerId?: string;
  status: string;
  priority: string;
}
/** A `wcp_quickreply` row as Dataverse stores it (statecode 0 = active). */
export interface SeedQuickReply {
  wcp_quickreplyid: string;
  wcp_title: string;
  wcp_text: string;
  wcp_language?: string | null;
  statecode: number;
}
/** A `wcp_agentscript` row: `wcp_steps` one step a line (`title | text to insert`). */
export interface SeedAgentScript {
  wcp_agentscriptid: string;
  wcp_name: string;
  wcp_steps: string | null;
  statecode: number;
}
export interface CrmSeed {
  contacts: SeedContact[];
  accounts: SeedAccount[];
  cases: SeedCase[];
  knowledge: KnowledgeArticle[];
  /** The admin-kept library; absent = none (the panel then uses the relay's). */
  wcp_quickreply?: SeedQuickReply[];
  wcp_agentscript?: SeedAgentScript[];
}

/** Like a Dataverse annotation (note) on the record: what linking a conversation leaves behind. */
export interface ConversationAnnotation extends ConversationLink {
  id: string;
  record: CrmRecordRef;
  subject: string;
  createdAt: string;
}

export interface MemoryCrmOptions {
  /** Country calling code for numbers stored without one (default "1"). */
  defaultCountryCode?: string;
  /** What "Open" does on the demo page: show the record. */
  onOpenRecord?: (record: CrmRecordRef) => void;
  now?: () => Date;
  newId?: () => string;
}

const MAX_RESULTS = 20;

/**
 * An honest in-memory CRM for the demo page and tests: the same behaviour the Dataverse
 * adapter promises (E.164 phone matching, search over contacts/accounts/cases, create,
 * link/unlink as annotations, knowledge search), rejecting with `CrmError` like it does.
 */
export class MemoryCrm implements CrmPort {
  private readonly contacts = new Map<string, SeedContact>();
  private readonly accounts = new Map<string, SeedAccount>();
  private readonly cases = new Map<string, SeedCase>();
  private readonly knowledge: KnowledgeArticle[];
  private readonly quickReplies: SeedQuickReply[];
  private readonly scripts: SeedAgentScript[];
  private readonly annotations = new Map<string, ConversationAnnotation>();
  private readonly countryCode: string;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly listeners = new Set<() => void>();
  private caseCounter: number;

  constructor(
    seed: CrmSeed,
    private readonly options: MemoryCrmOptions = {},
  ) {
    const copy = structuredClone(seed);
    for (const c of copy.contacts) this.contacts.set(c.id, c);
    for (const a of copy.accounts) this.accounts.set(a.id, a);
    for (const k of copy.cases) this.cases.set(k.id, k);
    this.knowledge = copy.knowledge;
    this.quickReplies = copy.wcp_quickreply ?? [];
    this.scripts = copy.wcp_agentscript ?? [];
    this.countryCode = options.defaultCountryCode ?? '1';
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.caseCounter = 1000 + copy.cases.length;
  }

  /** A number as typed on the demo page in E.164; national numbers take the CRM's calling code. */
  toE164(raw: string): string | null {
    return toE164(raw, this.countryCode);
  }

  async findContactsByPhone(phoneE164: string): Promise<CrmContact[]> {
    const wanted = this.toE164(phoneE164);
    if (!wanted) throw new CrmError(`"${phoneE164}" is not a phone number.`, 'invalid_phone');
    return [...this.contacts.values()]
      .filter((c) => c.mobilePhone && this.toE164(c.mobilePhone) === wanted)
      .map((c) => this.toContact(c));
  }

  async searchRecords(query: string, entityTypes: CrmEntityType[] = ['contact', 'account', 'incident']): Promise<CrmSearchResult[]> {
    const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    const digits = query.replace(/\D/g, '');
    const matches = (haystack: (string | undefined)[], phones: (string | undefined)[] = []) => {
      const text = haystack.filter(Boolean).join(' ').toLocaleLowerCase();
      if (words.every((w) => text.includes(w))) return true;
      // "555 0100" or "+1 415…" finds a contact whatever format its number was stored in.
      return (
        digits.length >= 4 &&
        phones.some((p) => p && (this.toE164(p) ?? '').slice(1).includes(digits))
      );
    };
    const results: CrmSearchResult[] = [];
    if (entityTypes.includes('contact')) {
      for (const c of this.contacts.values()) {
        const account = c.accountId ? this.accounts.get(c.accountId)?.name : undefined;
        if (matches([c.firstName, c.lastName, c.email, account, c.city], [c.mobilePhone])) {
          results.push({ entityType: 'contact', id: c.id, name: fullName(c), subtitle: c.mobilePhone ?? c.email });
        }
      }
    }
    if (entityTypes.includes('account')) {
      for (const a of this.accounts.values()) {
        if (matches([a.name, a.city], [a.phone])) {
          results.push({ entityType: 'account', id: a.id, name: a.name, subtitle: a.city });
        }
      }
    }
    if (entityTypes.includes('incident')) {
      for (const k of this.cases.values()) {
        const customer = k.customerId ? this.recordName(k.customerId) : undefined;
        if (matches([k.title, k.ticketNumber, k.description, customer])) {
          results.push({
            entityType: 'incident',
            id: k.id,
            name: k.title,
            subtitle: [k.ticketNumber, customer, k.status].filter(Boolean).join(' · '),
          });
        }
      }
    }
    return results.slice(0, MAX_RESULTS);
  }

  async createRecord(record: NewRecord): Promise<CrmRecordRef> {
    const f = record.fields;
    if (record.entityType === 'contact') {
      const lastName = f.lastname?.trim();
      if (!lastName) throw new CrmError('A contact needs a last name.', 'validation');
      if (f.mobilephone && !this.toE164(f.mobilephone)) {
        throw new CrmError(`"${f.mobilephone}" is not a phone number.`, 'validation');
      }
      const contact: SeedContact = {
        id: this.newId(),
        firstName: f.firstname?.trim() ?? '',
        lastName,
        mobilePhone: f.mobilephone?.trim() || undefined,
        email: f.emailaddress1?.trim() || undefined,
      };
      this.contacts.set(contact.id, contact);
      this.changed();
      return { entityType: 'contact', id: contact.id, name: fullName(contact) };
    }
    if (record.entityType === 'incident') {
      const title = f.title?.trim();
      if (!title) throw new CrmError('A case needs a title.', 'validation');
      if (record.customer && !this.exists(record.customer)) {
        throw new CrmError(`${record.customer.name} is not in the CRM.`, 'not_found');
      }
      this.caseCounter += 1;
      const incident: SeedCase = {
        id: this.newId(),
        ticketNumber: `CAS-${String(this.caseCounter).padStart(5, '0')}`,
        title,
        description: f.description?.trim() || undefined,
        customerId: record.customer?.id,
        status: 'Active',
        priority: 'Normal',
      };
      this.cases.set(incident.id, incident);
      this.changed();
      return { entityType: 'incident', id: incident.id, name: title };
    }
    throw new CrmError(`Records of type "${String(record.entityType)}" cannot be created here.`, 'unsupported');
  }

  async linkConversation(record: CrmRecordRef, link: ConversationLink): Promise<{ linkId: string }> {
    if (!this.exists(record)) throw new CrmError(`${record.name} is not in the CRM.`, 'not_found');
    const annotation: ConversationAnnotation = {
      id: `ann-${this.newId()}`,
      record: { entityType: record.entityType, id: record.id, name: record.name },
      conversationId: link.conversationId,
      summary: link.summary,
      subject: `WhatsApp conversation ${link.conversationId}`,
      createdAt: this.now().toISOString(),
    };
    this.annotations.set(annotation.id, annotation);
    this.changed();
    return { linkId: annotation.id };
  }

  async unlinkConversation(record: CrmRecordRef, linkId: string): Promise<void> {
    const annotation = this.annotations.get(linkId);
    if (!annotation || annotation.record.id !== record.id) {
      throw new CrmError(`That conversation is not linked to ${record.name}.`, 'not_found');
    }
    this.annotations.delete(linkId);
    this.changed();
  }

  async findConversationLinks(record: CrmRecordRef, conversationId: string): Promise<string[]> {
    return [...this.annotations.values()].filter((a) => a.record.id === record.id && a.conversationId === conversationId).map((a) => a.id);
  }

  async openRecord(record: CrmRecordRef): Promise<void> {
    if (!this.exists(record)) throw new CrmError(`${record.name} is not in the CRM.`, 'not_found');
    this.options.onOpenRecord?.(record);
  }

  async searchKnowledge(query: string): Promise<KnowledgeArticle[]> {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0) return [];
    return rankKnowledge(this.knowledge, terms, (article) => article, (text, term) => tokenize(text).includes(term))
      .filter((ranked) => ranked.score > 0)
      .map((ranked) => ({ ...ranked.article }));
  }

  /** Like the Dataverse adapter: active rows by title, in the agent's language (`inAgentLanguage`). */
  async listQuickReplies(language: string): Promise<QuickReply[]> {
    const active = this.quickReplies.filter((r) => r.statecode === 0).sort((a, b) => a.wcp_title.localeCompare(b.wcp_title));
    return inAgentLanguage(active, (r) => r.wcp_language, language).map((r) => ({ id: r.wcp_quickreplyid, title: r.wcp_title, body: r.wcp_text, tags: [] }));
  }

  async listScripts(): Promise<AgentScript[]> {
    return this.scripts
      .filter((s) => s.statecode === 0)
      .sort((a, b) => a.wcp_name.localeCompare(b.wcp_name))
      .map((s) => ({ id: s.wcp_agentscriptid, name: s.wcp_name, steps: scriptSteps(s.wcp_steps) }))
      .filter((s) => s.steps.length > 0);
  }

  // ---- for the demo page (not part of CrmPort) ----

  listContacts(): CrmContact[] {
    return [...this.contacts.values()].map((c) => this.toContact(c)).sort((a, b) => a.fullName.localeCompare(b.fullName));
  }

  getContact(id: string): CrmContact | null {
    const c = this.contacts.get(id);
    return c ? this.toContact(c) : null;
  }

  /** Cases of a contact (or of its account), newest ticket first. */
  casesOf(contactId: string): CrmSearchResult[] {
    const accountId = this.contacts.get(contactId)?.accountId;
    return [...this.cases.values()]
      .filter((k) => k.customerId === contactId || (accountId && k.customerId === accountId))
      .sort((a, b) => b.ticketNumber.localeCompare(a.ticketNumber))
      .map((k) => ({ entityType: 'incident', id: k.id, name: k.title, subtitle: `${k.ticketNumber} · ${k.status}` }));
  }

  /** Conversations linked to a record, as the timeline would show them. */
  linksOf(recordId: string): ConversationAnnotation[] {
    return [...this.annotations.values()].filter((a) => a.record.id === recordId);
  }

  /** Called after every change, so the demo form can re-render. Returns an unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed() {
    for (const listener of this.listeners) listener();
  }

  private exists(record: CrmRecordRef): boolean {
    switch (record.entityType) {
      case 'contact':
        return this.contacts.has(record.id);
      case 'account':
        return this.accounts.has(record.id);
      case 'incident':
        return this.cases.has(record.id);
      default:
        return false;
    }
  }

  private recordName(id: string): string | undefined {
    const contact = this.contacts.get(id);
    return contact ? fullName(contact) : this.accounts.get(id)?.name;
  }

  private toContact(c: SeedContact): CrmContact {
    const account = c.accountId ? this.accounts.get(c.accountId) : undefined;
    const name = fullName(c);
    const fields: Record<string, string> = { fullname: name, firstname: c.firstName, lastname: c.lastName };
    if (c.mobilePhone) fields.mobilephone = c.mobilePhone;
    if (c.email) fields.emailaddress1 = c.email;
    if (c.city) fields.address1_city = c.city;
    if (c.jobTitle) fields.jobtitle = c.jobTitle;
    if (account) fields.parentcustomerid = account.name;
    return {
      id: c.id,
      fullName: name,
      firstName: c.firstName,
      lastName: c.lastName,
      phone: c.mobilePhone,
      email: c.email,
      accountName: account?.name,
      city: c.city,
      fields,
    };
  }
}

function fullName(c: SeedContact): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ');
}
