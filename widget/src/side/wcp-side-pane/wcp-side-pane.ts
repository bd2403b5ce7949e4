import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property } from 'lit/decorators.js';
import type { AgentScript, Conversation, Message, Note, QuickReply, SearchHit } from '@wcp/protocol';
import type { CrmContact, CrmSearchResult, KnowledgeArticle } from '../../ports/crm-port.js';
import { AssistQueryEvent, SIDE_TABS, SideTabChangeEvent, type ScriptProgress, type SideTab } from '../../events/index.js';
import { aggregateSentiment, type SentimentResult } from '../sentiment/sentiment.js';
import { sideTheme } from '../shared/theme.styles.js';
import { suggest, type Suggestion } from '../smart-assist/suggest.js';
import { keywords } from '../smart-assist/tokens.js';
import '../wcp-agent-script/wcp-agent-script.js';
import '../wcp-customer-summary/wcp-customer-summary.js';
import '../wcp-knowledge/wcp-knowledge.js';
import '../wcp-notes/wcp-notes.js';
import '../wcp-records/wcp-records.js';
import '../wcp-smart-assist/wcp-smart-assist.js';
import '../wcp-transcript-search/wcp-transcript-search.js';
import { tabKeyTarget } from '../../lib/tab-keys.js';
import { formatCount } from '../../lib/time.js';
import { sidePaneStyles } from './wcp-side-pane.styles.js';

export type SideArea = SideTab;
export type SideFlags<T> = Partial<Record<SideArea, T>>;

function tabLabel(tab: SideTab): string {
  switch (tab) {
    case 'summary':
      return msg('Summary');
    case 'notes':
      return msg('Notes');
    case 'records':
      return msg('Records');
    case 'knowledge':
      return msg('Knowledge');
    case 'scripts':
      return msg('Scripts');
    case 'search':
      return msg('Search');
    case 'assist':
      return msg('Assist');
  }
}

/** The Assist tab's count, read after its name ("Assist, 1 suggestion"). */
function suggestionCount(count: number): string {
  return count === 1 ? msg('1 suggestion') : msg(str`${formatCount(count)} suggestions`);
}

/** Areas whose part shows `errors[area]` itself; the pane shows the others' above the part. */
const SHOWS_OWN_ERROR: ReadonlySet<SideTab> = new Set(['notes', 'records', 'knowledge', 'search']);

/**
 * The side pane next to the conversation: tabs for the customer summary, notes, records,
 * knowledge, agent scripts, transcript search and smart assist. Properties in, events out
 * (the parts' events bubble through it, composed); it derives the customer sentiment (from the
 * relay's per-message figures) and the smart-assist suggestions from `messages` itself. See
 * `side/README.md` for the contract.
 *
 * Keyboard: the tab list is one tab stop; Left/Right/Home/End move between tabs (and show them).
 *
 * @fires {AddNoteEvent} wcp-add-note - from <wcp-notes>: a note to add
 * @fires {RecordSearchEvent} wcp-record-search - from <wcp-records>: search CRM records
 * @fires {LinkRecordEvent} wcp-link-record - from <wcp-records>: link the chosen record
 * @fires {UnlinkRecordEvent} wcp-unlink-record - from <wcp-records> or <wcp-customer-summary>: unlink the linked record
 * @fires {OpenRecordEvent} wcp-open-record - from <wcp-records> or <wcp-customer-summary>: open a record in the CRM
 * @fires {CreateRecordEvent} wcp-create-record - from <wcp-records>: create a contact or case (and maybe link it)
 * @fires {KnowledgeSearchEvent} wcp-knowledge-search - from <wcp-knowledge>: search knowledge articles
 * @fires {AssistQueryEvent} wcp-assist-query - keywords of a new latest inbound message
 * @fires {InsertTextEvent} wcp-insert-text - from <wcp-knowledge>, <wcp-smart-assist> or <wcp-agent-script>: text for the composer
 * @fires {ScriptProgressEvent} wcp-script-progress - from <wcp-agent-script>: the new script progress
 * @fires {TranscriptSearchEvent} wcp-transcript-search - from <wcp-transcript-search>: search the transcripts
 * @fires {OpenConversationEvent} wcp-open-conversation - from <wcp-customer-summary> or <wcp-transcript-search>: open that conversation
 * @fires {SideTabChangeEvent} wcp-side-tab-change - the agent switched tabs
 * @csspart tablist - the row of tabs
 * @csspart panel - each tab panel
 * @cssprop --wcp-color-brand - accent colour (selected tab, buttons)
 * @cssprop --wcp-color-surface - background
 * @cssprop --wcp-font-family - font stack (Segoe UI by default)
 */
@localized()
@customElement('wcp-side-pane')
export class SidePaneElement extends LitElement {
  static override styles = [sideTheme, sidePaneStyles];

  @property({ attribute: false }) conversation: Conversation | null = null;
  @property({ attribute: false }) contact: CrmContact | null = null;
  @property({ attribute: false }) messages: Message[] = [];
  @property({ attribute: false }) previousConversations: Conversation[] = [];
  @property({ attribute: false }) notes: Note[] = [];
  @property({ attribute: false }) recordResults: CrmSearchResult[] = [];
  @property({ attribute: false }) knowledgeResults: KnowledgeArticle[] = [];
  @property({ attribute: false }) assistArticles: KnowledgeArticle[] = [];
  @property({ attribute: false }) quickReplies: QuickReply[] = [];
  @property({ attribute: false }) scripts: AgentScript[] = [];
  @property({ attribute: false }) scriptProgress: ScriptProgress = { scriptId: null, doneStepIds: [] };
  @property({ attribute: false }) searchHits: SearchHit[] = [];
  @property({ attribute: false }) busy: SideFlags<boolean> = {};
  @property({ attribute: false }) errors: SideFlags<string> = {};
  @property({ attribute: 'active-tab', reflect: true }) activeTab: SideTab = 'summary';

  /** The customer's messages in `messages`, as last derived from. */
  private inbound: readonly Message[] = [];
  private sentiment: SentimentResult | null = null;
  private suggestions: Suggestion[] = [];
  private latestInbound: Message | null = null;
  /** The inbound message the last AssistQueryEvent was raised for. */
  private queriedMessageId: string | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The sentiment and the suggestions come from the customer's messages alone. The panel hands
    // in a new transcript on every send, echo and status update of the agent's messages, and it
    // can be thousands long: those leave the customer's messages the same objects, so nothing is
    // derived again for them.
    let inboundChanged = false;
    if (changed.has('messages')) {
      const inbound = this.messages.filter((m) => m.direction === 'inbound');
      inboundChanged = inbound.length !== this.inbound.length || inbound.some((m, i) => m !== this.inbound[i]);
      this.inbound = inbound;
    }
    if (inboundChanged) {
      const said = this.inbound.filter((m) => m.body.trim() !== '');
      this.sentiment = said.length ? aggregateSentiment(said) : null;
      this.latestInbound = said.at(-1) ?? null;
    }
    if (inboundChanged || changed.has('quickReplies') || changed.has('assistArticles')) {
      this.suggestions = this.latestInbound ? suggest(this.latestInbound.body, this.quickReplies, this.assistArticles) : [];
    }
  }

  protected override updated(): void {
    const latest = this.latestInbound;
    if (latest && latest.id !== this.queriedMessageId) {
      this.queriedMessageId = latest.id;
      const query = keywords(latest.body).join(' ');
      if (query) this.dispatchEvent(new AssistQueryEvent(query));
    }
  }

  override render() {
    const c = this.conversation;
    const customer = c?.customer ?? null;
    const linked = c?.linkedRecord ?? null;
    return html`
      <div part="tablist" role="tablist" aria-label=${msg('Conversation details')} @keydown=${this.onTabKeydown}>
        ${SIDE_TABS.map(
          (tab) => html`<button
            type="button"
            role="tab"
            id=${`tab-${tab}`}
            aria-controls=${`panel-${tab}`}
            aria-selected=${tab === this.activeTab ? 'true' : 'false'}
            tabindex=${tab === this.activeTab ? 0 : -1}
            @click=${() => this.select(tab)}
          >
            ${tabLabel(tab)}${tab === 'assist' && this.suggestions.length
              ? html`<span class="count" aria-label=${suggestionCount(this.suggestions.length)}>${formatCount(this.suggestions.length)}</span>`
              : ''}
          </button>`,
        )}
      </div>
      ${this.panel(
        'summary',
        html`<wcp-customer-summary
          .customer=${customer}
          .contact=${this.contact}
          .previousConversations=${this.previousConversations}
          .currentConversationId=${c?.id ?? null}
          .linkedRecord=${linked}
          .sentiment=${this.sentiment}
          .sentimentBasis=${this.latestInbound?.id ?? null}
        ></wcp-customer-summary>`,
      )}
      ${this.panel(
        'notes',
        html`<wcp-notes .notes=${this.notes} .busy=${!!this.busy.notes} .error=${this.errors.notes ?? ''}></wcp-notes>`,
      )}
      ${this.panel(
        'records',
        html`<wcp-records
          .customer=${customer}
          .contact=${this.contact}
          .linkedRecord=${linked}
          .results=${this.recordResults}
          .busy=${!!this.busy.records}
          .error=${this.errors.records ?? ''}
        ></wcp-records>`,
      )}
      ${this.panel(
        'knowledge',
        html`<wcp-knowledge
          .results=${this.knowledgeResults}
          .busy=${!!this.busy.knowledge}
          .error=${this.errors.knowledge ?? ''}
        ></wcp-knowledge>`,
      )}
      ${this.panel('scripts', html`<wcp-agent-script .scripts=${this.scripts} .progress=${this.scriptProgress}></wcp-agent-script>`)}
      ${this.panel(
        'search',
        html`<wcp-transcript-search
          .hits=${this.searchHits}
          .busy=${!!this.busy.search}
          .error=${this.errors.search ?? ''}
        ></wcp-transcript-search>`,
      )}
      ${this.panel(
        'assist',
        html`<wcp-smart-assist .suggestions=${this.suggestions} .basedOn=${this.latestInbound?.body ?? ''}></wcp-smart-assist>`,
      )}
    `;
  }

  /** Panels stay mounted while hidden, so drafts and search boxes survive a tab switch. */
  private panel(tab: SideTab, content: unknown) {
    const error = SHOWS_OWN_ERROR.has(tab) ? '' : this.errors[tab];
    return html`<div
      part="panel"
      role="tabpanel"
      id=${`panel-${tab}`}
      aria-labelledby=${`tab-${tab}`}
      tabindex="0"
      ?hidden=${tab !== this.activeTab}
    >
      ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}${content}
    </div>`;
  }

  private async select(tab: SideTab, focus = false) {
    if (tab !== this.activeTab) {
      this.activeTab = tab;
      this.dispatchEvent(new SideTabChangeEvent(tab));
    }
    if (focus) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus();
    }
  }

  private onTabKeydown(e: KeyboardEvent) {
    const index = SIDE_TABS.indexOf(this.activeTab);
    const target = tabKeyTarget(e.key, index, SIDE_TABS.length, this);
    if (target < 0) return;
    e.preventDefault();
    this.select(SIDE_TABS[target] as SideTab, true);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-side-pane': SidePaneElement;
  }
}
