import { msg, str } from '@lit/localize';
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { AgentScript, Conversation, Message, Note, QuickReply, RelayEvent, SearchHit } from '@wcp/protocol';
import type { CrmContact, CrmPort, CrmRecordRef, CrmSearchResult, KnowledgeArticle } from '../ports/crm-port.js';
import { messageOf } from '../lib/error-text.js';
import type { RelayClient } from '../relay/relay-client.js';
import type {
  AddNoteEvent,
  AssistQueryEvent,
  CreateRecordEvent,
  InsertTextEvent,
  KnowledgeSearchEvent,
  LinkRecordEvent,
  OpenConversationEvent,
  OpenRecordEvent,
  RecordSearchEvent,
  ScriptProgress,
  ScriptProgressEvent,
  SideTab,
  SideTabChangeEvent,
  TranscriptSearchEvent,
  UnlinkRecordEvent,
} from '../events/index.js';
import type { SideArea, SideFlags } from '../side/wcp-side-pane/wcp-side-pane.js';
import '../side/wcp-side-pane/wcp-side-pane.js';

/** What the side pane needs from the panel besides its ports. */
export interface SidePaneHostOptions {
  relay(): RelayClient | null;
  crm(): CrmPort | null;
  /** The conversation the agent is looking at. */
  selected(): Conversation | undefined;
  /** Puts text into the composer draft at the caret (placeholders filled there). */
  insertText(text: string): void;
  /** Selects the session tab of that conversation; false when it is not one of the agent's sessions. */
  showConversation(conversationId: string): boolean;
  /** The relay answered with a newer copy of a conversation (e.g. after link/unlink). */
  updateConversation(conversation: Conversation): void;
}

export interface SidePaneInput {
  conversation: Conversation;
  contact: CrmContact | null;
  messages: Message[];
  quickReplies: readonly QuickReply[];
}

const NO_PROGRESS: ScriptProgress = { scriptId: null, doneStepIds: [] };

/**
 * Mediates between `<wcp-panel>` and `<wcp-side-pane>`: keeps what the pane shows (notes and
 * script progress per conversation, previous conversations per customer, the last answers to
 * searches, busy/error flags), answers the pane's events through the relay and the CRM port,
 * and renders the pane. CRM and relay errors are shown in the pane's area they came from.
 */
export class SidePaneController implements ReactiveController {
  private notes = new Map<string, Note[]>();
  private previous = new Map<string, Conversation[]>();
  private scriptProgress = new Map<string, ScriptProgress>();
  /** The CRM's id for each conversation's link, needed to unlink it there. */
  private linkIds = new Map<string, { record: CrmRecordRef; linkId: string }>();
  private scripts: AgentScript[] = [];
  private recordResults: CrmSearchResult[] = [];
  private knowledgeResults: KnowledgeArticle[] = [];
  private assistArticles: KnowledgeArticle[] = [];
  private searchHits: SearchHit[] = [];
  private busy: SideFlags<boolean> = {};
  private errors: SideFlags<string> = {};
  private activeTab: SideTab = 'summary';
  private current: Conversation | null = null;
  /** The latest assist query: a late answer to an older one is dropped. */
  private assistQuery = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: SidePaneHostOptions,
  ) {
    host.addController(this);
  }

  /** Before each render: a newly selected conversation loads its notes and history. */
  hostUpdate(): void {
    const conversation = this.options.selected();
    const isNew = !!conversation && conversation.id !== this.current?.id;
    this.current = conversation ?? null;
    if (isNew) this.select(conversation);
  }

  /** The agent's scripts (CrmController.loadLibrary: the CRM's, else the relay's). */
  showScripts(scripts: AgentScript[]): void {
    this.scripts = scripts;
    this.host.requestUpdate();
  }

  scriptsFailed(error: unknown): void {
    this.setError('scripts', msg(str`Agent scripts could not be loaded: ${messageOf(error)}`));
  }

  /** Forgets everything; for a new relay (another agent, another relay). */
  reset(): void {
    this.notes = new Map();
    this.previous = new Map();
    this.scriptProgress = new Map();
    this.linkIds = new Map();
    this.scripts = [];
    this.recordResults = [];
    this.knowledgeResults = [];
    this.assistArticles = [];
    this.searchHits = [];
    this.busy = {};
    this.errors = {};
    this.current = null;
  }

  onRelayEvent(event: RelayEvent): void {
    if (event.type !== 'note') return;
    const { conversationId, note } = event.data;
    const list = this.notes.get(conversationId);
    // Not loaded yet: the GET on selection brings it.
    if (!list || list.some((n) => n.id === note.id)) return;
    this.notes.set(conversationId, [...list, note]);
    this.host.requestUpdate();
  }

  render(input: SidePaneInput) {
    const { conversation } = input;
    const previous = (this.previous.get(conversation.customer.phone) ?? []).filter((c) => c.id !== conversation.id);
    return html`<wcp-side-pane
      .conversation=${conversation}
      .contact=${input.contact}
      .messages=${input.messages}
      .previousConversations=${previous}
      .notes=${this.notes.get(conversation.id) ?? []}
      .recordResults=${this.recordResults}
      .knowledgeResults=${this.knowledgeResults}
      .assistArticles=${this.assistArticles}
      .quickReplies=${input.quickReplies}
      .scripts=${this.scripts}
      .scriptProgress=${this.scriptProgress.get(conversation.id) ?? NO_PROGRESS}
      .searchHits=${this.searchHits}
      .busy=${this.busy}
      .errors=${this.errors}
      .activeTab=${this.activeTab}
      @wcp-side-tab-change=${(e: SideTabChangeEvent) => (this.activeTab = e.tab)}
      @wcp-add-note=${(e: AddNoteEvent) => this.addNote(e.body)}
      @wcp-record-search=${(e: RecordSearchEvent) => this.searchRecords(e)}
      @wcp-create-record=${(e: CreateRecordEvent) => this.createRecord(e)}
      @wcp-link-record=${(e: LinkRecordEvent) => this.link(e.record, 'records')}
      @wcp-unlink-record=${(e: UnlinkRecordEvent) => this.unlink(e.record)}
      @wcp-open-record=${(e: OpenRecordEvent) => this.openRecord(e.record)}
      @wcp-knowledge-search=${(e: KnowledgeSearchEvent) => this.searchKnowledge(e.query)}
      @wcp-assist-query=${(e: AssistQueryEvent) => this.assist(e.query)}
      @wcp-insert-text=${(e: InsertTextEvent) => this.options.insertText(e.text)}
      @wcp-script-progress=${(e: ScriptProgressEvent) => this.setScriptProgress(e.progress)}
      @wcp-transcript-search=${(e: TranscriptSearchEvent) => this.searchTranscripts(e.query)}
      @wcp-open-conversation=${(e: OpenConversationEvent) => this.openConversation(e.conversationId)}
    ></wcp-side-pane>`;
  }

  /** A newly selected conversation: its notes and the customer's previous conversations. */
  private select(conversation: Conversation): void {
    this.errors = {};
    const relay = this.options.relay();
    if (!relay) return;
    const id = conversation.id;
    if (!this.notes.has(id)) {
      this.run('notes', async () => {
        const loaded = await relay.listNotes(id);
        // Notes from `note` events that beat the GET are kept.
        const byId = new Map([...(this.notes.get(id) ?? []), ...loaded].map((n) => [n.id, n]));
        this.notes.set(id, [...byId.values()]);
      }, msg('Notes could not be loaded.'));
      this.notes.set(id, []);
    }
    const phone = conversation.customer.phone;
    if (!this.previous.has(phone)) {
      this.previous.set(phone, []);
      this.run('summary', async () => {
        this.previous.set(phone, await relay.customerConversations(phone));
      }, msg('Previous conversations could not be loaded.'));
    }
  }

  private addNote(body: string): void {
    const relay = this.options.relay();
    const id = this.current?.id;
    if (!relay || !id) return;
    this.run('notes', async () => {
      const note = await relay.addNote(id, body);
      const list = this.notes.get(id) ?? [];
      if (!list.some((n) => n.id === note.id)) this.notes.set(id, [...list, note]);
    }, msg('The note could not be saved.'));
  }

  private searchRecords(event: RecordSearchEvent): void {
    const crm = this.options.crm();
    if (!crm) return;
    this.run('records', async () => {
      this.recordResults = await crm.searchRecords(event.query, event.entityTypes);
    }, msg('Records could not be searched.'));
  }

  private createRecord(event: CreateRecordEvent): void {
    const crm = this.options.crm();
    if (!crm) return;
    this.run('records', async () => {
      const created = await crm.createRecord(event.record);
      this.recordResults = [created, ...this.recordResults.filter((r) => r.id !== created.id)];
      if (event.link) await this.linkNow(created);
    }, msg('The record could not be created.'));
  }

  private link(record: CrmRecordRef, area: SideArea): void {
    this.run(area, () => this.linkNow(record), msg(str`${record.name} could not be linked.`));
  }

  /** Links in the CRM first (it keeps the link), then tells the relay; undoes the CRM link if the relay refuses. */
  private async linkNow(record: CrmRecordRef): Promise<void> {
    const crm = this.options.crm();
    const relay = this.options.relay();
    const conversation = this.current;
    if (!crm || !relay || !conversation) return;
    const id = conversation.id;
    const ref = { entityType: record.entityType, id: record.id, name: record.name };
    const { linkId } = await crm.linkConversation(ref, { conversationId: id, summary: linkSummary(conversation) });
    let updated: Conversation;
    try {
      updated = await relay.linkRecord(id, ref);
    } catch (error) {
      await crm.unlinkConversation(ref, linkId).catch(() => undefined); // best effort; the relay's error is the one to show
      throw error;
    }
    const replaced = this.linkIds.get(id);
    this.linkIds.set(id, { record: ref, linkId });
    this.options.updateConversation(updated);
    // The relay keeps one linked record: the CRM link of the record it replaced goes too.
    if (replaced && replaced.record.id !== ref.id) await crm.unlinkConversation(replaced.record, replaced.linkId);
  }

  private unlink(record: CrmRecordRef): void {
    const crm = this.options.crm();
    const relay = this.options.relay();
    const id = this.current?.id;
    if (!crm || !relay || !id) return;
    const area = this.areaOfAction('records');
    this.run(area, async () => {
      const known = this.linkIds.get(id);
      if (known) {
        await crm.unlinkConversation(known.record, known.linkId);
        this.linkIds.delete(id);
      }
      this.options.updateConversation(await relay.unlinkRecord(id));
      if (!known) {
        // Linked in an earlier session of the page: the CRM's link id is not known here.
        this.setError(area, msg(str`Unlinked here. The conversation may still appear on ${record.name} in the CRM; remove it there if needed.`));
      }
    }, msg(str`${record.name} could not be unlinked.`));
  }

  private openRecord(record: CrmRecordRef): void {
    const crm = this.options.crm();
    if (!crm) return;
    this.run(this.areaOfAction('records'), () => crm.openRecord(record), msg(str`${record.name} could not be opened.`));
  }

  private searchKnowledge(query: string): void {
    const crm = this.options.crm();
    if (!crm) return;
    this.run('knowledge', async () => {
      this.knowledgeResults = await crm.searchKnowledge(query);
    }, msg('Knowledge articles could not be searched.'));
  }

  private assist(query: string): void {
    const crm = this.options.crm();
    if (!crm) return;
    this.assistQuery = query;
    this.run('assist', async () => {
      const articles = await crm.searchKnowledge(query);
      if (query === this.assistQuery) this.assistArticles = articles;
    }, msg('Suggestions could not be loaded.'));
  }

  private setScriptProgress(progress: ScriptProgress): void {
    if (!this.current) return;
    this.scriptProgress.set(this.current.id, progress);
    this.host.requestUpdate();
  }

  private searchTranscripts(query: string): void {
    const relay = this.options.relay();
    if (!relay) return;
    this.run('search', async () => {
      this.searchHits = await relay.search(query);
    }, msg('Conversations could not be searched.'));
  }

  private openConversation(conversationId: string): void {
    if (this.options.showConversation(conversationId)) return;
    this.setError(this.areaOfAction('search'), msg('That conversation is closed or not assigned to you, so it cannot be opened here.'));
  }

  /** Open and unlink are offered on the summary and the records tab: errors go where the agent is. */
  private areaOfAction(fallback: SideArea): SideArea {
    return this.activeTab === 'summary' ? 'summary' : fallback;
  }

  /** Runs a request of one area with its busy flag; a failure becomes that area's error text. */
  private run(area: SideArea, work: () => Promise<void>, failure: string): void {
    this.busy = { ...this.busy, [area]: true };
    this.setError(area, '');
    work()
      .catch((error: unknown) => this.setError(area, `${failure} ${messageOf(error)}`))
      .finally(() => {
        this.busy = { ...this.busy, [area]: false };
        this.host.requestUpdate();
      });
  }

  private setError(area: SideArea, text: string): void {
    this.errors = { ...this.errors, [area]: text };
    this.host.requestUpdate();
  }
}

/** What the CRM keeps with the link (Dataverse: the annotation's text). */
function linkSummary(conversation: Conversation): string {
  const { profileName, phone } = conversation.customer;
  return `WhatsApp conversation with ${profileName ? `${profileName} (${phone})` : phone}, started ${conversation.createdAt}.`;
}
