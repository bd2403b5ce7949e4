import { msg, str } from '@lit/localize';
import { html, render, type ReactiveController, type ReactiveControllerHost } from 'lit';
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
  /** The agent's sessions: a conversation that is no longer one of them loses its side pane. */
  sessionIds(): readonly string[];
  /** Puts text into the composer draft at the caret (placeholders filled there). */
  insertText(text: string): void;
  /** Selects the session tab of that conversation, shown at `messageId` when given; false when it is not one of the agent's sessions. */
  showConversation(conversationId: string, messageId: string | null): boolean;
  /** The relay answered with a newer copy of a conversation (e.g. after link/unlink). */
  updateConversation(conversation: Conversation): void;
  /** A contact was created: a customer it has the number of is no longer unknown. */
  contactCreated(): void;
}

export interface SidePaneInput {
  conversation: Conversation;
  contact: CrmContact | null;
  messages: Message[];
  quickReplies: readonly QuickReply[];
}

const NO_PROGRESS: ScriptProgress = { scriptId: null, doneStepIds: [] };

/**
 * The side pane of one conversation. Each session has its own, as in Omnichannel: the element
 * (with what the agent typed into it — a note, a "New contact" form, a search) stays with its
 * conversation while another one is shown, and so do its answers, busy flags and errors.
 */
interface ConversationSide {
  /** The pane's container, put back into the page when the conversation is selected again. */
  view: HTMLElement;
  /** The latest copy the pane was rendered with (linking writes its summary into the CRM). */
  conversation: Conversation;
  tab: SideTab;
  busy: SideFlags<boolean>;
  errors: SideFlags<string>;
  recordResults: CrmSearchResult[];
  knowledgeResults: KnowledgeArticle[];
  assistArticles: KnowledgeArticle[];
  /** The latest assist query: a late answer to an older one is dropped. */
  assistQuery: string;
  searchHits: SearchHit[];
}

/**
 * Mediates between `<wcp-panel>` and the side panes (`<wcp-side-pane>`, one per session): keeps
 * what they show (notes and script progress per conversation, previous conversations per
 * customer, each pane's answers to searches and busy/error flags), answers a pane's events
 * through the relay and the CRM port for that pane's conversation, and renders the selected
 * conversation's pane. CRM and relay errors are shown in the pane and area they came from.
 */
export class SidePaneController implements ReactiveController {
  private notes = new Map<string, Note[]>();
  private previous = new Map<string, Conversation[]>();
  /** The latest request for each customer's previous conversations: an older answer is dropped. */
  private previousRequests = new Map<string, number>();
  /** Numbers every request, so a customer forgotten and shown again never takes an older answer. */
  private previousRequestCount = 0;
  private scriptProgress = new Map<string, ScriptProgress>();
  /**
   * The CRM's id for each conversation's link, needed to unlink it there; null for a link made
   * through the relay alone (a known customer's contact, on accept), of which the CRM keeps nothing
   * but the activity's "regarding", which the relay moves.
   */
  private linkIds = new Map<string, { record: CrmRecordRef; linkId: string | null }>();
  private sides = new Map<string, ConversationSide>();
  private scripts: AgentScript[] = [];
  /** Errors of what every pane shares (the agent scripts). */
  private libraryErrors: SideFlags<string> = {};
  /** A conversation's pane opens on the tab the agent chose last. */
  private lastTab: SideTab = 'summary';
  private current: Conversation | null = null;

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
    this.forgetClosedSessions();
    if (isNew) this.select(conversation);
  }

  /** The agent's scripts (CrmController.loadLibrary: the CRM's, else the relay's). */
  showScripts(scripts: AgentScript[]): void {
    this.scripts = scripts;
    this.host.requestUpdate();
  }

  scriptsFailed(error: unknown): void {
    this.libraryErrors = { scripts: msg(str`Agent scripts could not be loaded: ${messageOf(error)}`) };
    this.host.requestUpdate();
  }

  /** Forgets everything; for a new relay (another agent, another relay). */
  reset(): void {
    this.notes = new Map();
    this.previous = new Map();
    this.previousRequests = new Map();
    this.scriptProgress = new Map();
    this.linkIds = new Map();
    this.sides = new Map();
    this.scripts = [];
    this.libraryErrors = {};
    this.lastTab = 'summary';
    this.current = null;
  }

  onRelayEvent(event: RelayEvent): void {
    // Another conversation of the customer on screen changed state (closed, reopened): the
    // summary lists it as it is now.
    if (event.type === 'state') {
      const phone = this.current?.customer.phone;
      const side = this.current && this.sides.get(this.current.id);
      if (side && event.data.conversation?.customer?.phone === phone && event.data.conversationId !== this.current?.id) {
        this.loadPrevious(side, phone!);
      }
      return;
    }
    if (event.type !== 'note') return;
    const { conversationId, note } = event.data;
    const list = this.notes.get(conversationId);
    // Not loaded yet: the GET on selection brings it.
    if (!list || list.some((n) => n.id === note.id)) return;
    this.notes.set(conversationId, [...list, note]);
    this.host.requestUpdate();
  }

  /** The selected conversation's pane: the same element each time that conversation is shown. */
  render(input: SidePaneInput): HTMLElement {
    const { conversation } = input;
    const id = conversation.id;
    const side = this.sideOf(conversation);
    side.conversation = conversation;
    const previous = (this.previous.get(conversation.customer.phone) ?? []).filter((c) => c.id !== id);
    render(
      html`<wcp-side-pane
        .conversation=${conversation}
        .contact=${input.contact}
        .messages=${input.messages}
        .previousConversations=${previous}
        .notes=${this.notes.get(id) ?? []}
        .recordResults=${side.recordResults}
        .knowledgeResults=${side.knowledgeResults}
        .assistArticles=${side.assistArticles}
        .quickReplies=${input.quickReplies}
        .scripts=${this.scripts}
        .scriptProgress=${this.scriptProgress.get(id) ?? NO_PROGRESS}
        .searchHits=${side.searchHits}
        .busy=${side.busy}
        .errors=${{ ...this.libraryErrors, ...side.errors }}
        .activeTab=${side.tab}
        @wcp-side-tab-change=${(e: SideTabChangeEvent) => this.changeTab(side, e.tab)}
        @wcp-add-note=${(e: AddNoteEvent) => this.addNote(side, e.body)}
        @wcp-record-search=${(e: RecordSearchEvent) => this.searchRecords(side, e)}
        @wcp-create-record=${(e: CreateRecordEvent) => this.createRecord(side, e)}
        @wcp-link-record=${(e: LinkRecordEvent) => this.link(side, e.record, 'records')}
        @wcp-unlink-record=${(e: UnlinkRecordEvent) => this.unlink(side, e.record)}
        @wcp-open-record=${(e: OpenRecordEvent) => this.openRecord(side, e.record)}
        @wcp-knowledge-search=${(e: KnowledgeSearchEvent) => this.searchKnowledge(side, e.query)}
        @wcp-assist-query=${(e: AssistQueryEvent) => this.assist(side, e.query)}
        @wcp-insert-text=${(e: InsertTextEvent) => this.options.insertText(e.text)}
        @wcp-script-progress=${(e: ScriptProgressEvent) => this.setScriptProgress(id, e.progress)}
        @wcp-transcript-search=${(e: TranscriptSearchEvent) => this.searchTranscripts(side, e.query)}
        @wcp-open-conversation=${(e: OpenConversationEvent) => this.openConversation(side, e.conversationId, e.messageId)}
      ></wcp-side-pane>`,
      side.view,
    );
    return side.view;
  }

  private sideOf(conversation: Conversation): ConversationSide {
    let side = this.sides.get(conversation.id);
    if (!side) {
      const view = document.createElement('div');
      view.className = 'side-pane';
      side = {
        view,
        conversation,
        tab: this.lastTab,
        busy: {},
        errors: {},
        recordResults: [],
        knowledgeResults: [],
        assistArticles: [],
        assistQuery: '',
        searchHits: [],
      };
      this.sides.set(conversation.id, side);
    }
    return side;
  }

  /**
   * A conversation that is no longer one of the agent's sessions takes with it its pane (and
   * drafts), its notes, script progress and CRM link ids, and — once no session of that customer
   * is left — the customer's previous conversations. If it comes back (transferred back, say) it
   * is a new session: its notes load afresh with those a colleague added meanwhile (their `note`
   * events went to the colleague), its script starts over. And a panel open all shift does not
   * keep every conversation it has shown.
   */
  private forgetClosedSessions(): void {
    const open = new Set(this.options.sessionIds());
    if (this.current) open.add(this.current.id);
    const gone = (id: string) => !open.has(id);
    for (const map of [this.sides, this.notes, this.scriptProgress, this.linkIds]) {
      for (const id of map.keys()) if (gone(id)) map.delete(id);
    }
    const phones = new Set([...this.sides.values()].map((side) => side.conversation.customer.phone));
    if (this.current) phones.add(this.current.customer.phone);
    for (const map of [this.previous, this.previousRequests]) {
      for (const phone of map.keys()) if (!phones.has(phone)) map.delete(phone);
    }
  }

  private changeTab(side: ConversationSide, tab: SideTab): void {
    side.tab = tab;
    this.lastTab = tab;
  }

  /** A newly selected conversation: its notes and the customer's previous conversations. */
  private select(conversation: Conversation): void {
    const relay = this.options.relay();
    if (!relay) return;
    const id = conversation.id;
    const side = this.sideOf(conversation);
    if (!this.notes.has(id)) {
      this.run(side, 'notes', async () => {
        const loaded = await relay.listNotes(id);
        // The session ended meanwhile (forgetClosedSessions): nothing to show them in.
        if (!this.notes.has(id)) return;
        // Notes from `note` events that beat the GET are kept.
        const byId = new Map([...(this.notes.get(id) ?? []), ...loaded].map((n) => [n.id, n]));
        this.notes.set(id, [...byId.values()]);
      }, msg('Notes could not be loaded.'));
      this.notes.set(id, []);
    }
    this.loadPrevious(side, conversation.customer.phone);
  }

  /**
   * The customer's conversations, asked again each time one of theirs is selected (or changes
   * state): the relay has them as they are now. The list held meanwhile stays on screen.
   */
  private loadPrevious(side: ConversationSide, phone: string): void {
    const relay = this.options.relay();
    if (!relay) return;
    const request = ++this.previousRequestCount;
    this.previousRequests.set(phone, request);
    this.run(side, 'summary', async () => {
      const conversations = await relay.customerConversations(phone);
      if (this.previousRequests.get(phone) === request) this.previous.set(phone, conversations);
    }, msg('Previous conversations could not be loaded.'));
  }

  private addNote(side: ConversationSide, body: string): void {
    const relay = this.options.relay();
    const id = side.conversation.id;
    if (!relay) return;
    this.run(side, 'notes', async () => {
      const note = await relay.addNote(id, body);
      const list = this.notes.get(id);
      if (list && !list.some((n) => n.id === note.id)) this.notes.set(id, [...list, note]);
    }, msg('The note could not be saved.'));
  }

  private searchRecords(side: ConversationSide, event: RecordSearchEvent): void {
    const crm = this.options.crm();
    if (!crm) return;
    this.run(side, 'records', async () => {
      side.recordResults = await crm.searchRecords(event.query, event.entityTypes);
    }, msg('Records could not be searched.'));
  }

  private createRecord(side: ConversationSide, event: CreateRecordEvent): void {
    const crm = this.options.crm();
    if (!crm) return;
    this.run(side, 'records', async () => {
      const created = await crm.createRecord(event.record);
      if (created.entityType === 'contact') this.options.contactCreated();
      side.recordResults = [created, ...side.recordResults.filter((r) => r.id !== created.id)];
      if (event.link) await this.linkNow(side, created);
    }, msg('The record could not be created.'));
  }

  private link(side: ConversationSide, record: CrmRecordRef, area: SideArea): void {
    this.run(side, area, () => this.linkNow(side, record), msg(str`${record.name} could not be linked.`));
  }

  /** Links in the CRM first (it keeps the link), then tells the relay; undoes the CRM link if the relay refuses. */
  private async linkNow(side: ConversationSide, record: CrmRecordRef): Promise<void> {
    const crm = this.options.crm();
    const relay = this.options.relay();
    if (!crm || !relay) return;
    const conversation = side.conversation;
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
    // The relay keeps one linked record: the CRM links of the record it replaced go too.
    const replaced = conversation.linkedRecord && conversation.linkedRecord.id !== ref.id ? conversation.linkedRecord : null;
    const replacedLinks = replaced ? await this.panelLinks(crm, id, replaced) : [];
    this.linkIds.set(id, { record: ref, linkId });
    this.options.updateConversation(updated);
    for (const old of replacedLinks) await crm.unlinkConversation(replaced!, old);
  }

  /**
   * The CRM's links this panel made for the conversation on `record`: the one remembered since
   * it was made on this page, else those the CRM finds (the page was reloaded since). A link the
   * relay made alone on accept has none.
   */
  private async panelLinks(crm: CrmPort, conversationId: string, record: CrmRecordRef): Promise<string[]> {
    const known = this.linkIds.get(conversationId);
    if (known?.record.id === record.id) return known.linkId === null ? [] : [known.linkId];
    return crm.findConversationLinks(record, conversationId);
  }

  /** The relay linked the conversation to the customer's contact on accept: unlinking it leaves nothing in the CRM to remove. */
  linkedByRelay(conversation: Conversation): void {
    const record = conversation.linkedRecord;
    if (record) this.linkIds.set(conversation.id, { record, linkId: null });
  }

  private unlink(side: ConversationSide, record: CrmRecordRef): void {
    const crm = this.options.crm();
    const relay = this.options.relay();
    const id = side.conversation.id;
    if (!crm || !relay) return;
    const area = areaOfAction(side, 'records');
    this.run(side, area, async () => {
      for (const linkId of await this.panelLinks(crm, id, record)) await crm.unlinkConversation(record, linkId);
      this.linkIds.delete(id);
      this.options.updateConversation(await relay.unlinkRecord(id));
    }, msg(str`${record.name} could not be unlinked.`));
  }

  private openRecord(side: ConversationSide, record: CrmRecordRef): void {
    const crm = this.options.crm();
    if (!crm) return;
    this.run(side, areaOfAction(side, 'records'), () => crm.openRecord(record), msg(str`${record.name} could not be opened.`));
  }

  private searchKnowledge(side: ConversationSide, query: string): void {
    const crm = this.options.crm();
    if (!crm) return;
    this.run(side, 'knowledge', async () => {
      side.knowledgeResults = await crm.searchKnowledge(query);
    }, msg('Knowledge articles could not be searched.'));
  }

  private assist(side: ConversationSide, query: string): void {
    const crm = this.options.crm();
    if (!crm) return;
    side.assistQuery = query;
    this.run(side, 'assist', async () => {
      const articles = await crm.searchKnowledge(query);
      if (query === side.assistQuery) side.assistArticles = articles;
    }, msg('Suggestions could not be loaded.'));
  }

  private setScriptProgress(conversationId: string, progress: ScriptProgress): void {
    this.scriptProgress.set(conversationId, progress);
    this.host.requestUpdate();
  }

  private searchTranscripts(side: ConversationSide, query: string): void {
    const relay = this.options.relay();
    if (!relay) return;
    this.run(side, 'search', async () => {
      side.searchHits = await relay.search(query);
    }, msg('Conversations could not be searched.'));
  }

  private openConversation(side: ConversationSide, conversationId: string, messageId: string | null): void {
    if (this.options.showConversation(conversationId, messageId)) return;
    this.setError(side, areaOfAction(side, 'search'), msg('That conversation is closed or not assigned to you, so it cannot be opened here.'));
  }

  /** Runs a request of one pane's area with its busy flag; a failure becomes that area's error text. */
  private run(side: ConversationSide, area: SideArea, work: () => Promise<void>, failure: string): void {
    side.busy = { ...side.busy, [area]: true };
    this.setError(side, area, '');
    work()
      .catch((error: unknown) => this.setError(side, area, `${failure} ${messageOf(error)}`))
      .finally(() => {
        side.busy = { ...side.busy, [area]: false };
        this.host.requestUpdate();
      });
  }

  private setError(side: ConversationSide, area: SideArea, text: string): void {
    side.errors = { ...side.errors, [area]: text };
    this.host.requestUpdate();
  }
}

/** Open and unlink are offered on the summary and the records tab: errors go where the agent is. */
function areaOfAction(side: ConversationSide, fallback: SideArea): SideArea {
  return side.tab === 'summary' ? 'summary' : fallback;
}

/** What the CRM keeps with the link (Dataverse: the annotation's text). */
function linkSummary(conversation: Conversation): string {
  const { profileName, phone } = conversation.customer;
  return `WhatsApp conversation with ${profileName ? `${profileName} (${phone})` : phone}, started ${conversation.createdAt}.`;
}
