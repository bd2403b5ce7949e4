import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { localized, msg, str } from '@lit/localize';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
// Patched at install (patches/@lit-labs+virtualizer+2.1.1.patch): rows positioned in one pass, not O(rows²).
import '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import type { VisibilityChangedEvent } from '@lit-labs/virtualizer/events.js';
import type { Message } from '@wcp/protocol';
import { LoadOlderEvent } from '../events/load-older-event.js';
import type { ShowMessageEvent } from '../events/show-message-event.js';
import { messageLinks } from '../lib/message-links.js';
import { type MessageAuthors, NO_AUTHORS } from '../lib/message-authors.js';
import { tokens } from '../styles/tokens.styles.js';
import { messageStyles } from '../wcp-message/wcp-message.js';
import '../wcp-message/wcp-message.js';
import { steadyFlow } from './steady-flow.js';
import { styles } from './wcp-thread.styles.js';

/** A transcript entry: a relay message, or an outbound one still in the outbox (`pending`). */
export type ThreadMessage = Message & { pending?: boolean };

const OLDER = Symbol('older');
type Row = ThreadMessage | typeof OLDER;
/** The thread's properties a row shows besides its message. */
const ROW_INPUTS = ['mediaUrls', 'customerName', 'readOnly', 'loadingOlder', 'highlighted', 'authors'] as const;

/** Customer messages a screen reader has been told of, newest last; older ones drop out unread. */
const ANNOUNCEMENTS_KEPT = 3;

/**
 * The customer's messages that arrived below the newest one `before` had, in the same
 * conversation: what is new to the agent. A page of older messages loaded above, another
 * conversation, or the first page of one is nothing new.
 */
function newCustomerMessages(before: readonly ThreadMessage[], after: readonly ThreadMessage[]): ThreadMessage[] {
  if (before.length === 0 || before[0]!.conversationId !== after[0]?.conversationId) return [];
  const known = new Set(before.map((m) => m.id));
  let last = -1;
  for (let i = after.length - 1; i >= 0 && last < 0; i--) if (known.has(after[i]!.id)) last = i;
  if (last < 0) return [];
  return after.slice(last + 1).filter((m) => m.direction === 'inbound' && !known.has(m.id));
}

/** The relay's message for an agent's send shown as pending: the same bubble, under the relay's id. */
const takesPendingPlace = (held: ThreadMessage, message: ThreadMessage) => Boolean(held.pending) && !message.pending && message.direction === 'outbound';

/**
 * Brings `list` (from `offset` on) up to the first `count` of `messages` when they are the same
 * messages at the same places and only some are newer copies (a status update, the relay's copy
 * of a message it had) or the relay's message for an agent's send shown as pending at that place
 * (its own id then, but the same bubble): those are put in place, so whoever holds `list` keeps
 * the same array and the virtualizer re-renders the range instead of laying every row out again.
 * The relay's message then keeps the pending row's key (`keys`, by message id): the virtualizer
 * places rows when it lays them out, so a row made anew at a place it had measured would stay
 * unplaced; the same row element shows the relay's message where the send was.
 * Says 'same' when nothing was replaced, and 'other' (changing nothing) when the messages are
 * others: a send, a page, another conversation.
 */
function refreshCopies(list: Row[], offset: number, messages: readonly ThreadMessage[], count: number, keys?: Map<string, string>): 'same' | 'refreshed' | 'other' {
  let newer = false;
  for (let i = 0; i < count; i++) {
    const held = list[i + offset];
    const message = messages[i]!;
    if (held === message) continue;
    if (held === OLDER || held === undefined) return 'other';
    if (held.id !== message.id && !takesPendingPlace(held, message)) return 'other';
    newer = true;
  }
  if (!newer) return 'same';
  for (let i = 0; i < count; i++) {
    const held = list[i + offset] as ThreadMessage;
    const message = messages[i]!;
    if (keys && held.id !== message.id) keys.set(message.id, keys.get(held.id) ?? held.id);
    list[i + offset] = message;
  }
  return 'refreshed';
}

/**
 * The conversation transcript: a virtualized `log`, oldest first, pinned to the newest
 * message. A conversation the agent left scrolled up comes back at the message it was reading
 * (one left at its newest, or opened for the first time, at its newest). Reaching the top asks for the previous page. Media come as relay paths that
 * need the bearer token, so the thread asks the panel for each one (`wcp-media-request`)
 * and shows the blob: URL it is given in `mediaUrls`. Each entry is a `<wcp-message>`; following
 * a quote (`wcp-show-message`) scrolls to the original and highlights it for a moment.
 *
 * The log is not a live region (`aria-live="off"`): the virtualizer adds rows to it as the agent
 * scrolls, a page of older messages, a whole transcript on a tab switch, and a screen reader would
 * read each of them out. A new customer message in the open conversation is announced on its own,
 * from a polite live region beside the log ("Ana: Is my parcel on its way?").
 *
 * @fires {LoadOlderEvent} wcp-load-older - show the previous page
 * @fires {RetryMessageEvent} wcp-retry-message - retry a failed outbound message
 * @fires {ReplyToEvent} wcp-reply-to - quote a message in the reply
 * @fires {MediaRequestEvent} wcp-media-request - a media item needs its bytes
 * @fires {CreateRecordEvent} wcp-create-record - create a CRM contact from a shared contact card
 * @csspart log - the scrolling transcript
 * @cssprop --wcp-color-bubble-inbound - customer bubbles
 * @cssprop --wcp-color-bubble-outbound - agent bubbles
 * @cssprop --wcp-color-read - the read ticks
 */
@localized()
@customElement('wcp-thread')
export class WcpThread extends LitElement {
  static override styles = [tokens, styles, messageStyles];

  /** Oldest first. */
  @property({ attribute: false }) messages: readonly ThreadMessage[] = [];
  /** blob: URLs by media url; '' marks a media item that could not be loaded. */
  @property({ attribute: false }) mediaUrls: ReadonlyMap<string, string> = new Map();
  @property({ type: Boolean, attribute: 'has-older' }) hasOlder = false;
  @property({ type: Boolean, attribute: 'loading-older' }) loadingOlder = false;
  /** Name used for the customer's side in the screen-reader labels. */
  @property({ attribute: 'customer-name' }) customerName = '';
  /** The reader and colleagues' names: a colleague's message (a transfer, a consult) is labelled with its author. */
  @property({ attribute: false }) authors: MessageAuthors = NO_AUTHORS;
  /** A transcript the agent reads but does not answer (a consult): messages offer no "Reply". */
  @property({ type: Boolean, attribute: 'read-only' }) readOnly = false;

  /** The customer's name for labels, "Customer" in the panel's language when not given. */
  private get customer(): string {
    return this.customerName || msg('Customer');
  }

  @query('lit-virtualizer') private virtualizer?: LitVirtualizer<Row>;

  /**
   * The virtualizer's rows: the same array for as long as they are the same messages. The panel
   * hands in a new `messages` array on each render of its own (a keystroke in the composer, a
   * tick elsewhere), and a new array makes the virtualizer lay all its rows out again. A newer
   * copy of a message (its status moved) is put in its place in this array (`refreshCopies`).
   */
  private rows: Row[] = [];
  /**
   * The messages the relay has (all but the agent's pending sends, which the panel appends):
   * what replies and button taps point at. Unchanged by a send, so their links are not built
   * again for it (`messageLinks` keeps them per array), and refreshed in place as `rows` is.
   */
  private linkable: ThreadMessage[] = [];

  private atBottom = true;
  /** The first row in view, as the virtualizer last told it (an index into `rows`). */
  private firstInView = -1;
  /**
   * The message the agent was reading (the first in view) in each conversation it left scrolled
   * up, by conversation id: going back to a tab must not lose the place. A conversation left at
   * its newest message has none, and comes back at its newest.
   */
  private readonly places = new Map<string, string>();
  /**
   * The agent moved the view itself (wheel, touch, keys, the scroll bar, a screen reader) since it
   * was last taken to the newest message. A view moved only by the thread (older pages loaded
   * above keep the first message of the page before in view) is no place of the agent's to keep.
   */
  private movedByAgent = false;
  /** Customer messages that arrived while the agent was scrolled up: the "new messages" marker. */
  @state() private unseen = 0;
  /** New customer messages to announce, newest last (`ANNOUNCEMENTS_KEPT`). */
  @state() private announcements: readonly ThreadMessage[] = [];
  /** The message a followed quote led to, marked for a moment. */
  @state() private highlighted: string | null = null;
  private highlightTimer: ReturnType<typeof setTimeout> | undefined;
  /** The virtualizer's layout: pinned to the newest row for the update that opens a transcript only (below). */
  private layout = steadyFlow();
  /** The layout for this transcript without a pin. */
  private free = this.layout;
  private readonly requested = new Set<string>();

  /**
   * Scrolls to the newest message, and keeps it there — the view follows the newest row — until
   * the agent scrolls away. Most of a long thread's rows are never measured, so the virtualizer's
   * idea of its height moves whenever rows are measured or change size (a tick, the relay's copy
   * of a send): a scroll to the bottom made once would be left above it.
   */
  async scrollToLatest(): Promise<void> {
    this.unseen = 0;
    this.movedByAgent = false;
    this.stickToBottom = true;
    await this.scrollToRow(this.rows.length - 1, 'end');
    this.atBottom = true;
  }

  /**
   * Scrolls a row into view. When the rows changed in the update just made, first waits for the
   * virtualizer to have placed and measured them; otherwise they are settled (and its
   * `layoutComplete` would not resolve before something changes size).
   */
  private async scrollToRow(index: number, block: ScrollLogicalPosition): Promise<void> {
    await this.updateComplete;
    const virtualizer = this.virtualizer;
    if (!virtualizer || index < 0) return;
    // Anywhere but the newest row, the view stays where it is taken.
    const toNewest = block === 'end' && index === this.rows.length - 1;
    if (!toNewest) this.unstick();
    if (this.relaid) {
      // Following the newest row, the view is at the bottom from the moment the virtualizer renders
      // it, so a new message (the agent's own send) is painted already in view, not below the fold first.
      await virtualizer.updateComplete;
      try {
        await virtualizer.layoutComplete;
      } catch {
        return; // the virtualizer was disconnected (tab switched, panel closed)
      }
    }
    if (toNewest && this.stickToBottom) this.toBottom();
    else virtualizer.element(index)?.scrollIntoView({ block });
  }

  /** While following the newest row: the view to the thread's bottom. */
  private toBottom() {
    const virtualizer = this.virtualizer;
    if (virtualizer && this.stickToBottom) virtualizer.scrollTop = virtualizer.scrollHeight;
  }

  /** The view follows the newest row (`scrollToLatest`) until the agent scrolls. */
  private stickToBottom = false;
  private stickObserver: ResizeObserver | null = null;

  /**
   * The agent scrolls, by wheel, touch, keys or the scroll bar: the view stops following the
   * newest row at once.
   */
  private readonly leaveBottom = {
    handleEvent: () => {
      this.movedByAgent = true;
      this.unstick();
    },
    passive: true,
  };

  /** The thread's height when the view was last seen at its bottom. */
  private bottomHeight = -1;

  /**
   * A scroll that no input event announced (a screen reader's cursor, find in page, a script):
   * the view left the bottom while the thread's height stayed what it was — so it was moved, not
   * the content re-measured (the virtualizer's estimate changes the height; following the newest
   * row puts the view back at the bottom then).
   */
  private readonly onScroll = {
    handleEvent: () => {
      const virtualizer = this.virtualizer;
      if (!virtualizer || !this.stickToBottom) return;
      const height = virtualizer.scrollHeight;
      const below = height - virtualizer.clientHeight - virtualizer.scrollTop;
      // The virtualizer's own pin to the newest row ends at the row, above the log's padding: a
      // few pixels off the bottom are still at it.
      if (below > Math.max(48, virtualizer.clientHeight / 4)) {
        if (height === this.bottomHeight) {
          this.movedByAgent = true;
          this.unstick();
        }
      } else this.bottomHeight = height;
    },
    passive: true,
  };

  /**
   * The virtualizer rendered a new range. While following the newest row, scroll to the bottom
   * once its rows are placed (a microtask later, before the frame paints), and again whenever
   * the newest row's measured size changes (a resize observer's moment, also before paint).
   */
  private onRange() {
    if (!this.stickToBottom) return;
    queueMicrotask(() => {
      if (!this.virtualizer || !this.stickToBottom) return;
      this.toBottom();
      const newest = this.messages.at(-1);
      const row = newest ? this.renderRoot.querySelector(`[data-message-id="${CSS.escape(newest.id)}"]`) : null;
      this.stickObserver?.disconnect();
      this.stickObserver = new ResizeObserver(() => queueMicrotask(() => this.toBottom()));
      if (row) this.stickObserver.observe(row);
    });
  }

  private unstick() {
    this.stickToBottom = false;
    this.stickObserver?.disconnect();
    this.stickObserver = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.opened = false;
    if (changed.has('messages')) {
      const before = changed.get('messages') as readonly ThreadMessage[] | undefined;
      this.anchor = this.scrollAnchor(before ?? [], this.messages);
      this.announce(before ?? [], this.messages);
    }
    const anchor = this.anchor;
    let refreshed = false;
    if (changed.has('messages') || changed.has('hasOlder')) refreshed = this.listRows();
    else this.relaid = false;
    // A transcript opened (mounted, or switched to): the virtualizer's first layout of it starts
    // at the newest message, pinned there as it measures, rather than laying out the top of the
    // list first and then travelling down to the bottom — for a long transcript several more
    // layouts, of rows nobody sees, before the first paint.
    // The pin is handed over once: the virtualizer applies its layout's options again on each of
    // its updates, and a pin given again would pull the view back after the agent or a followed
    // quote moved it. Once applied it holds until the agent scrolls.
    // A transcript the agent comes back to is pinned at the message it was reading instead.
    if (this.opened) {
      const transcript = this.messages[0]?.conversationId;
      this.free = steadyFlow({ transcript });
      const pin = typeof anchor === 'object' && anchor ? { index: anchor.index, block: 'start' as const } : { index: this.rows.length - 1, block: 'end' as const };
      this.layout = steadyFlow({ transcript, pin });
    } else this.layout = this.free;
    // The rows show more than their message; without a change here the virtualizer keeps them as
    // rendered. An update without a changed property is a new language (`@localized`). Rows
    // refreshed in place are not news to the virtualizer either (same array): a new function is
    // what makes it render its range again, each row with what is now at its place.
    if (refreshed || changed.size === 0 || ROW_INPUTS.some((key) => (changed as Map<PropertyKey, unknown>).has(key))) this.renderRow = this.rowRenderer();
  }

  /** Lists `messages` as the virtualizer's rows; true when only newer copies were put in place. */
  private listRows(): boolean {
    const messages = this.messages;
    const older = this.hasOlder ? 1 : 0;
    const rows = this.rows;
    const listed = rows.length === messages.length + older && (!older || rows[0] === OLDER) ? refreshCopies(rows, older, messages, messages.length, this.keys) : 'other';
    this.relaid = listed === 'other';
    if (this.relaid) this.rows = older ? [OLDER, ...messages] : [...messages];
    let settled = messages.length;
    while (settled > 0 && messages[settled - 1]!.pending) settled--;
    if (this.linkable.length !== settled || refreshCopies(this.linkable, 0, messages, settled) === 'other') this.linkable = messages.slice(0, settled);
    return listed === 'refreshed';
  }

  private anchor: { index: number } | 'bottom' | null = null;

  /** The rows changed in the last update: the virtualizer is laying them out. */
  private relaid = false;
  /** The last update brought another transcript (the first, or a switch to another conversation). */
  private opened = false;

  protected override async updated(changed: PropertyValues<this>): Promise<void> {
    if (!changed.has('messages') || !this.anchor) return;
    const anchor = this.anchor;
    this.anchor = null;
    if (anchor === 'bottom') await this.scrollToLatest();
    else await this.scrollToRow(anchor.index, 'start');
  }

  /** Where to keep the view after `messages` changed: the newest message, the old first one (older page prepended), or nowhere. */
  private scrollAnchor(before: readonly ThreadMessage[], after: readonly ThreadMessage[]) {
    // Left for another conversation (or for an empty list, while the other's first page loads).
    const left = before[0]?.conversationId;
    if (left !== undefined && left !== after[0]?.conversationId) this.keepPlace(left);
    if (after.length === 0) return null;
    // Another conversation (a tab switch) opens at the place the agent left it, or at its newest
    // message; nothing counted as new for the agent's place in the one before.
    if (before.length === 0 || before[0]!.conversationId !== after[0]!.conversationId) {
      this.unseen = 0;
      this.opened = true;
      this.keys.clear();
      const place = this.placeIn(after);
      if (place < 0) return 'bottom' as const;
      // The agent's own place, kept again if it leaves without scrolling.
      this.atBottom = false;
      this.movedByAgent = true;
      return { index: place };
    }
    const oldFirst = before[0]!.id;
    if (after[0]!.id !== oldFirst) {
      const index = after.findIndex((m) => m.id === oldFirst);
      if (index > 0) return { index: index + (this.hasOlder ? 1 : 0) };
    }
    const newest = after.at(-1)!;
    const last = before.at(-1)!;
    if (newest.id === last.id) return null;
    // The relay's message for the agent's pending send takes that row's place: the same bubble,
    // nothing new below it (and a view following the newest row stays there by itself).
    if (after.length === before.length && takesPendingPlace(last, newest)) return null;
    if (this.atBottom || newest.direction === 'outbound') return 'bottom' as const;
    // The agent is reading further up: keep the place and say that more arrived.
    const known = new Set(before.map((m) => m.id));
    this.unseen += after.filter((m) => !known.has(m.id) && m.direction === 'inbound').length;
    return null;
  }

  /** What the live region says: the new customer messages; another conversation starts it empty. */
  private announce(before: readonly ThreadMessage[], after: readonly ThreadMessage[]): void {
    if (before[0]?.conversationId !== after[0]?.conversationId) {
      this.announcements = [];
      return;
    }
    const arrived = newCustomerMessages(before, after);
    if (arrived.length) this.announcements = [...this.announcements, ...arrived].slice(-ANNOUNCEMENTS_KEPT);
  }

  /** The agent leaves the conversation now shown: the message it is reading, unless it is at the newest. */
  private keepPlace(conversationId: string): void {
    const first = this.rows[this.firstInView];
    const reading = first === OLDER ? this.rows[this.firstInView + 1] : first;
    if (!this.movedByAgent || this.atBottom || this.stickToBottom || !reading || reading === OLDER) this.places.delete(conversationId);
    else this.places.set(conversationId, reading.id);
  }

  /** The row to open `messages` at: the message the agent was reading when it left them; -1 for the newest. */
  private placeIn(messages: readonly ThreadMessage[]): number {
    const id = this.places.get(messages[0]!.conversationId);
    const index = id === undefined ? -1 : messages.findIndex((m) => m.id === id);
    return index < 0 ? -1 : index + (this.hasOlder ? 1 : 0);
  }

  /**
   * The virtualizer's directive takes a new list at once but lays it out a few microtasks later;
   * re-rendered in between (a new `renderItem`, or a layout pass of the list before), it renders
   * its last range over the new list, and after a switch to a shorter conversation those places
   * are past its end. They are rendered as nothing, keyed by place, until its layout of the new
   * list gives the range that fits.
   */
  private readonly rowKey = (row: Row | undefined, index: number) => (row === undefined ? `past-end-${index}` : row === OLDER ? 'older' : (this.keys.get(row.id) ?? row.id));
  /** Row keys of the relay's messages that took a pending send's place: that send's (refreshCopies). */
  private readonly keys = new Map<string, string>();
  private renderRow = this.rowRenderer();
  /** A new function makes the virtualizer render its rows again, an unchanged one leaves them. */
  private rowRenderer() {
    return (row: Row | undefined) => (row === undefined ? nothing : row === OLDER ? this.renderOlder() : this.renderMessage(row));
  }

  override render() {
    // The live region stays in place across both views: one added later would miss its first message.
    return html`${this.renderLog()}
      <div class="visually-hidden" aria-live="polite" aria-relevant="additions">
        ${repeat(
          this.announcements,
          (m) => m.id,
          (m) => html`<p dir="auto">${msg(str`${this.customer}:`)} ${m.body || msg('Sent an attachment')}</p>`,
        )}
      </div>`;
  }

  private renderLog() {
    if (this.messages.length === 0) {
      return html`<div class="empty" role="log" aria-live="off" aria-label=${msg('Conversation transcript')} part="log">${msg('No messages yet.')}</div>`;
    }
    return html`
      <lit-virtualizer
        scroller
        part="log"
        role="log"
        aria-live="off"
        aria-label=${msg('Conversation transcript')}
        tabindex="0"
        .items=${this.rows}
        .layout=${this.layout}
        .keyFunction=${this.rowKey}
        .renderItem=${this.renderRow}
        @wheel=${this.leaveBottom}
        @touchstart=${this.leaveBottom}
        @keydown=${this.leaveBottom}
        @pointerdown=${this.leaveBottom}
        @scroll=${this.onScroll}
        @visibilityChanged=${this.onVisibility}
        @rangeChanged=${this.onRange}
        @wcp-show-message=${this.onShowMessage}
      ></lit-virtualizer>
      ${this.unseen
        ? html`<button class="new-messages" @click=${() => void this.scrollToLatest()}>
            ${msg(str`New messages (${this.unseen})`)}<span class="visually-hidden">${msg(': show the newest')}</span>
          </button>`
        : nothing}
    `;
  }

  private onVisibility(event: VisibilityChangedEvent) {
    // While the view is being taken to the newest message, the rows it passes are not where the
    // agent is: judged, they would ask for an older page nobody scrolled to (which then pulls
    // the view up to it) and count the agent as reading further up.
    if (this.stickToBottom) return;
    this.firstInView = event.first;
    this.atBottom = event.last >= this.rows.length - 1;
    if (this.atBottom) this.unseen = 0;
    if (event.first === 0 && this.hasOlder && !this.loadingOlder) this.dispatchEvent(new LoadOlderEvent());
  }

  private renderOlder() {
    return html`<div class="older">
      <button ?disabled=${this.loadingOlder} @click=${() => this.dispatchEvent(new LoadOlderEvent())}>
        ${this.loadingOlder ? msg('Loading older messages…') : msg('Load older messages')}
      </button>
    </div>`;
  }

  private renderMessage(message: ThreadMessage) {
    const links = messageLinks(this.linkable);
    return html`<wcp-message
      .message=${message}
      .customerName=${this.customer}
      .mediaUrls=${this.mediaUrls}
      .quoted=${links.quoted(message)}
      .question=${links.question(message)}
      ?highlighted=${this.highlighted === message.id}
      .replyable=${!this.readOnly}
      .authors=${this.authors}
    ></wcp-message>`;
  }

  private onShowMessage(event: ShowMessageEvent) {
    event.stopPropagation();
    this.showMessage(event.messageId);
  }

  /**
   * Scrolls to a loaded message (a quote points at it, a search hit is it) and marks it for two
   * seconds; false when it is not loaded.
   */
  showMessage(messageId: string): boolean {
    const index = this.messages.findIndex((m) => m.id === messageId);
    if (index < 0) return false;
    // Straight to it: the list is settled (the quote was on screen), no layout to wait for.
    this.unstick();
    this.virtualizer?.element(index + (this.hasOlder ? 1 : 0))?.scrollIntoView({ block: 'center' });
    this.highlighted = messageId;
    clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(() => (this.highlighted = null), 2000);
    return true;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'wcp-thread': WcpThread;
  }
}
