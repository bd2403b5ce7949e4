import type { Agent, AgentSummary, Conversation, Disposition, Message, MessagePage, MessageTemplate, Queue, QueueCounts, QuickReply, RelayEvent, Transfer } from '@wcp/protocol';
import { AUTO_CLOSED_DISPOSITION, transferShownTo } from '@wcp/protocol/values';
import { mayWriteToCustomer } from '@wcp/protocol/states';
import type { WrapUpDraft } from '../events/wrap-up-change-event.js';
import type { CrmContact } from '../ports/crm-port.js';
import type { ConnectionState, OutboxItem } from '../relay/relay-client.js';
import { toE164 } from '../lib/phone.js';
import type { MessageAuthors } from '../lib/message-authors.js';
import type { PlaceholderContext } from '../lib/placeholders.js';
import { RelayClock } from '../lib/relay-clock.js';
import { isWindowClosed } from '../lib/reply-window.js';
import type { SessionSummary } from '../wcp-session-tabs/wcp-session-tabs.js';
import type { ThreadMessage } from '../wcp-thread/wcp-thread.js';
import { Store } from './store.js';
import { echoedPending, indexFromNewest, mergeMessage, mergeMessages, pendingId, pendingMessage, withStatus, type StatusUpdate } from './messages.js';
import type { WorkInProgress } from './work-in-progress.js';

/**
 * What the agent sees of their conversations, in one immutable value: offers, sessions and the
 * selected one, each session's transcript, pending sends, unread counts, drafts and wrap-ups, the reply
 * window's refusals and the CRM contacts matched to customers. `reducePanel` is the only way it
 * changes: `(state, action) => state`, no I/O and no clock of its own (actions that depend on
 * the time carry `now`, the browser's `Date.now()`). The relay and CRM controllers do the I/O
 * and dispatch what happened; `<wcp-panel>` renders the state.
 */

/** The CRM record the form shows; its fields fill {record.<field>} placeholders. */
export interface FormRecord {
  entityType: string;
  id: string;
  name: string;
  fields?: Record<string, string>;
}

export interface Offered {
  conversation: Conversation;
  firstMessage: Message | null;
  /** Who handed it over, and why, when the offer is a transfer. */
  transfer: Transfer | null;
}

export interface Transcript {
  items: Message[];
  /** The cursor of the next older page; null once the first message is loaded. */
  next: string | null;
  loadingOlder: boolean;
}

/** What `<wcp-thread>` shows of one conversation. */
export interface ThreadView {
  messages: ThreadMessage[];
  hasOlder: boolean;
  loadingOlder: boolean;
}

export interface FormState {
  busy: boolean;
  error: string;
}

export interface PanelState {
  agent: Agent | null;
  connection: ConnectionState;
  /** Windows and offers count down on the relay's clock (learnt from `window` events' `serverTime`). */
  clock: RelayClock;
  /** The form's bound phone as given; its conversation is selected first. */
  formPhone: string;
  offers: readonly Offered[];
  /** Offers the agent is answering (Accept/Reject pressed, relay not answered yet). */
  answering: ReadonlySet<string>;
  /** The agent's conversations and those it is consulted on (read-only for it: `isConsulting`). */
  sessions: readonly Conversation[];
  selectedId: string | null;
  /** Only conversations the agent has opened; events for the others come with their first page. */
  transcripts: ReadonlyMap<string, Transcript>;
  pending: ReadonlyMap<string, readonly ThreadMessage[]>;
  unread: ReadonlyMap<string, number>;
  drafts: ReadonlyMap<string, string>;
  /** The wrap-up's disposition and summary being written, by conversation, until it closes. */
  wrapUps: ReadonlyMap<string, WrapUpDraft>;
  replyTo: ReadonlyMap<string, Message>;
  /** Conversations where a free-form send met a closed window: the exact alert shows. */
  /** Free-form sends refused for the closed window, per conversation (each one announces the alert again). */
  expiredAttempts: ReadonlyMap<string, number>;
  /** blob: URLs by media url; '' marks media that could not be loaded. */
  mediaUrls: ReadonlyMap<string, string>;
  /** CRM contact by customer phone; null while looking up or when not exactly one matched. */
  contacts: ReadonlyMap<string, CrmContact | null>;
  quickReplies: readonly QuickReply[];
  /** The wrap-up's dispositions, loaded at sign-in. */
  dispositions: readonly Disposition[];
  templates: readonly MessageTemplate[] | null;
  /** The agent's queues with their waiting counts (GET /api/v1/queues, then `queue` events). */
  queues: readonly Queue[];
  /** Every queue, the agent's or not, as the Transfer dialog offers them (GET /api/v1/queues?all=true). */
  transferQueues: readonly Queue[];
  /** Colleagues to transfer to or consult (GET /api/v1/agents), loaded at sign-in and when a dialog opens. */
  colleagues: readonly AgentSummary[];
  /** The open Transfer or Consult dialog's request: its error shows in the dialog. */
  teamForm: FormState;
  /** The relay served its last good template list (Twilio's Content API failed). */
  templatesStale: boolean;
  composer: FormState;
  /** The composer's attachment upload, 0…1; null when none is under way. */
  uploadProgress: number | null;
  picker: FormState;
  stateBusy: boolean;
  notice: string;
  /** The agent's conversation that closed last, with its disposition, until another closes. */
  lastClosed: ClosedConversation | null;
}

export interface ClosedConversation {
  conversationId: string;
  title: string;
  /** The disposition's id (shown through lib/dispositions.ts, in the panel's language). */
  disposition: string;
}

export type PanelAction =
  | { type: 'connection'; connection: ConnectionState }
  | {
      type: 'signedIn';
      agent: Agent;
      conversations: readonly Conversation[];
      queued: readonly OutboxItem[];
      clockOffsetMs: number | null;
      /** The list replaces what the panel held (its stream missed events): sessions and offers not in it go, transcripts load again. */
      replace?: boolean;
      /** What the agent was doing in this tab before a reload (state/work-in-progress.ts): back for the sessions listed. */
      restored?: WorkInProgress;
    }
  | { type: 'relayEvent'; event: RelayEvent; now: number }
  | { type: 'agent'; agent: Agent }
  | { type: 'conversation'; conversation: Conversation }
  | { type: 'formPhone'; phone: string }
  | { type: 'select'; conversationId: string }
  | { type: 'answering'; conversationId: string; busy: boolean }
  | { type: 'offerAccepted'; conversation: Conversation }
  | { type: 'offerGone'; conversationId: string }
  /** The customer's newest message, read for an offer the sign-in list brought (its event, with the message, came before this page). */
  | { type: 'offerMessage'; message: Message }
  | { type: 'draft'; conversationId: string; draft: string }
  /** A refused send's text back in the composer, before whatever is there now (nothing written is lost). */
  | { type: 'draftRestored'; conversationId: string; text: string }
  | { type: 'wrapUp'; conversationId: string; wrapUp: WrapUpDraft }
  | { type: 'replyTo'; conversationId: string; message: Message | null }
  | { type: 'freeFormRefused'; conversationId: string }
  | { type: 'windowExpired'; conversationId: string; now: number }
  | { type: 'templateSent'; conversationId: string }
  | { type: 'pendingAdded'; item: OutboxItem }
  | { type: 'pendingRemoved'; conversationId: string; clientId: string }
  | { type: 'messageSaved'; message: Message }
  | { type: 'messageRestored'; conversationId: string; messageId: string; status: StatusUpdate }
  | { type: 'retrying'; conversationId: string; messageId: string }
  | { type: 'pageLoading'; conversationId: string; first: boolean }
  | { type: 'pageLoaded'; conversationId: string; page: MessagePage }
  | { type: 'pageFailed'; conversationId: string; first: boolean }
  | { type: 'mediaLoaded'; url: string; objectUrl: string }
  | { type: 'mediaForgotten'; url: string }
  | { type: 'mediaCleared' }
  | { type: 'contactLookup'; phone: string }
  | { type: 'contactFound'; phone: string; matches: readonly CrmContact[] }
  /** A contact was created in the CRM: the customers no contact matched are looked up again. */
  | { type: 'contactCreated' }
  | { type: 'contactLookupFailed'; phone: string }
  | { type: 'quickReplies'; quickReplies: readonly QuickReply[] }
  | { type: 'dispositions'; dispositions: readonly Disposition[] }
  | { type: 'queues'; queues: readonly Queue[] }
  | { type: 'transferQueues'; queues: readonly Queue[] }
  | { type: 'colleagues'; colleagues: readonly AgentSummary[] }
  | { type: 'teamForm'; busy?: boolean; error?: string }
  | { type: 'handedOver'; conversationId: string }
  | { type: 'templates'; templates: readonly MessageTemplate[]; stale?: boolean }
  | { type: 'optedOut'; conversationId: string }
  | { type: 'uploadProgress'; progress: number | null }
  | { type: 'composer'; busy?: boolean; error?: string }
  | { type: 'picker'; busy?: boolean; error?: string }
  | { type: 'stateBusy'; busy: boolean }
  | { type: 'notice'; text: string };

const ACTIVE_STATES = new Set<Conversation['state']>(['open', 'active', 'waiting', 'wrapup']);
/** The relay client's guess of the relay clock from the HTTP Date header is to the second: small differences are noise. */
const HTTP_CLOCK_TOLERANCE_MS = 5000;
const NO_MESSAGES: Message[] = [];

export type PanelStore = Store<PanelState, PanelAction>;

export function createPanelStore(): PanelStore {
  return new Store(reducePanel, initialPanelState());
}

export function initialPanelState(): PanelState {
  return {
    agent: null,
    connection: 'idle',
    clock: new RelayClock(),
    formPhone: '',
    offers: [],
    answering: new Set(),
    sessions: [],
    selectedId: null,
    transcripts: new Map(),
    pending: new Map(),
    unread: new Map(),
    drafts: new Map(),
    wrapUps: new Map(),
    replyTo: new Map(),
    expiredAttempts: new Map(),
    mediaUrls: new Map(),
    contacts: new Map(),
    quickReplies: [],
    dispositions: [],
    templates: null,
    queues: [],
    transferQueues: [],
    colleagues: [],
    teamForm: { busy: false, error: '' },
    templatesStale: false,
    composer: { busy: false, error: '' },
    uploadProgress: null,
    picker: { busy: false, error: '' },
    stateBusy: false,
    notice: '',
    lastClosed: null,
  };
}

export function reducePanel(state: PanelState, action: PanelAction): PanelState {
  switch (action.type) {
    case 'connection':
      return { ...state, connection: action.connection };
    case 'signedIn': {
      let next: PanelState = { ...state, agent: action.agent, clock: learnClock(state.clock, action.clockOffsetMs) };
      if (action.replace) {
        // The transcripts held miss what was pruned: each loads again when shown.
        next = { ...next, transcripts: new Map() };
        const listed = new Set(action.conversations.map((c) => c.id));
        for (const s of state.sessions) if (!listed.has(s.id)) next = removeSession(next, s.id);
        for (const o of state.offers) if (!listed.has(o.conversation.id)) next = withoutOffer(next, o.conversation.id);
      }
      for (const conversation of action.conversations) next = track(next, conversation);
      for (const item of action.queued) next = addPending(next, item);
      if (action.restored) next = restoreWork(next, action.restored);
      next = selectFormConversation(next);
      return !next.selectedId && next.sessions[0] ? select(next, next.sessions[0].id) : next;
    }
    case 'relayEvent':
      return onRelayEvent(state, action.event, action.now);
    case 'agent':
      return { ...state, agent: action.agent };
    case 'conversation':
      return track(state, action.conversation);
    case 'formPhone':
      return selectFormConversation({ ...state, formPhone: action.phone });
    case 'select':
      return select(state, action.conversationId);
    case 'answering':
      return { ...state, answering: toggled(state.answering, action.conversationId, action.busy) };
    case 'offerAccepted':
      return select(track(withoutOffer(state, action.conversation.id), action.conversation), action.conversation.id);
    case 'offerGone':
      return withoutOffer(state, action.conversationId);
    case 'offerMessage':
      return withOfferMessage(state, action.message);
    case 'draft':
      return { ...state, drafts: withEntry(state.drafts, action.conversationId, action.draft) };
    case 'draftRestored': {
      // Not in place of the draft: the agent may have written on since, or another refused send come back first.
      const current = state.drafts.get(action.conversationId) ?? '';
      if (!action.text || current.includes(action.text)) return state;
      return { ...state, drafts: withEntry(state.drafts, action.conversationId, current ? `${action.text}\n\n${current}` : action.text) };
    }
    case 'wrapUp':
      return { ...state, wrapUps: withEntry(state.wrapUps, action.conversationId, action.wrapUp) };
    case 'replyTo':
      return { ...state, replyTo: action.message ? withEntry(state.replyTo, action.conversationId, action.message) : withoutEntry(state.replyTo, action.conversationId) };
    case 'freeFormRefused':
      return { ...state, expiredAttempts: attempted(state.expiredAttempts, action.conversationId) };
    case 'windowExpired':
      return windowExpired(state, action.conversationId, action.now);
    case 'templateSent':
      return { ...state, expiredAttempts: withoutEntry(state.expiredAttempts, action.conversationId) };
    case 'pendingAdded':
      return addPending(state, action.item);
    case 'pendingRemoved': {
      const list = state.pending.get(action.conversationId);
      const id = pendingId(action.clientId);
      return list?.some((m) => m.id === id) ? { ...state, pending: withEntry(state.pending, action.conversationId, list.filter((m) => m.id !== id)) } : state;
    }
    case 'messageSaved':
      return upsertMessage(state, action.message);
    case 'messageRestored':
      return patchMessage(state, action.conversationId, action.messageId, (m) => ({ ...m, ...action.status }));
    case 'retrying':
      return requeued(state, action.conversationId, action.messageId);
    case 'pageLoading': {
      const current = state.transcripts.get(action.conversationId);
      if (action.first) return setTranscript(state, action.conversationId, { items: [], next: null, loadingOlder: true });
      return current ? setTranscript(state, action.conversationId, { ...current, loadingOlder: true }) : state;
    }
    case 'pageLoaded': {
      // Messages may have arrived meanwhile (kept), or the session been closed (the page is dropped).
      const current = state.transcripts.get(action.conversationId);
      if (!current) return state;
      const loaded = setTranscript(state, action.conversationId, { items: mergeMessages(action.page.items, current.items), next: action.page.next, loadingOlder: false });
      return withoutStoredPending(loaded, action.conversationId, action.page.items);
    }
    case 'pageFailed': {
      const current = state.transcripts.get(action.conversationId);
      if (!current) return state;
      // A first page that failed is forgotten, so the next look loads it again.
      if (action.first) return { ...state, transcripts: withoutEntry(state.transcripts, action.conversationId) };
      return setTranscript(state, action.conversationId, { ...current, loadingOlder: false });
    }
    case 'mediaLoaded':
      return { ...state, mediaUrls: withEntry(state.mediaUrls, action.url, action.objectUrl) };
    case 'mediaForgotten':
      return { ...state, mediaUrls: withoutEntry(state.mediaUrls, action.url) };
    case 'mediaCleared':
      return state.mediaUrls.size ? { ...state, mediaUrls: new Map() } : state;
    case 'contactLookup':
      return { ...state, contacts: withEntry(state.contacts, action.phone, null) };
    case 'contactFound':
      // Exactly one match authenticates the customer; none or several stay unknown.
      return { ...state, contacts: withEntry(state.contacts, action.phone, action.matches.length === 1 ? action.matches[0]! : null) };
    case 'contactCreated':
      return { ...state, contacts: new Map([...state.contacts].filter(([, contact]) => contact !== null)) };
    case 'contactLookupFailed':
      return { ...state, contacts: withoutEntry(state.contacts, action.phone) };
    case 'quickReplies':
      return { ...state, quickReplies: action.quickReplies };
    case 'dispositions':
      return { ...state, dispositions: action.dispositions };
    case 'templates':
      return { ...state, templates: action.templates, templatesStale: action.stale ?? false };
    case 'optedOut':
      // The relay refused a send (422 opted_out) before its `state` event told us: believe it.
      return patchSession(state, action.conversationId, (c) => ({ ...c, optedOut: true }));
    case 'uploadProgress':
      return { ...state, uploadProgress: action.progress };
    case 'queues':
      return { ...state, queues: action.queues };
    case 'transferQueues':
      return { ...state, transferQueues: action.queues };
    case 'colleagues':
      return { ...state, colleagues: action.colleagues };
    case 'teamForm':
      return { ...state, teamForm: { busy: action.busy ?? state.teamForm.busy, error: action.error ?? state.teamForm.error } };
    case 'handedOver':
      // Transferred away, or a consult the agent left: the relay no longer shows it to this agent.
      return removeSession(state, action.conversationId);
    case 'composer':
      return { ...state, composer: { busy: action.busy ?? state.composer.busy, error: action.error ?? state.composer.error } };
    case 'picker':
      return { ...state, picker: { busy: action.busy ?? state.picker.busy, error: action.error ?? state.picker.error } };
    case 'stateBusy':
      return { ...state, stateBusy: action.busy };
    case 'notice':
      return { ...state, notice: action.text };
  }
}

function onRelayEvent(state: PanelState, event: RelayEvent, now: number): PanelState {
  switch (event.type) {
    case 'offer':
      return addOffer(state, event.data.conversation, event.data.firstMessage, event.data.transfer ?? event.data.conversation.transfer ?? null);
    case 'offer_withdrawn':
      return withoutOffer(state, event.data.conversationId);
    case 'message': {
      const next = receive(state, event.data.message);
      // A customer's message brings the window it re-opened (the `window` event after it repeats it).
      const { conversationId, windowExpiresAt } = event.data;
      return windowExpiresAt === undefined ? next : withWindow(next, conversationId, windowExpiresAt, undefined, now);
    }
    case 'status': {
      const { conversationId, messageId, status, errorCode, errorMessage, error, retried } = event.data;
      // Retried in another tab, or by a colleague in a consult: as this panel's own Retry.
      if (retried) return requeued(state, conversationId, messageId);
      return patchMessage(state, conversationId, messageId, (m) => withStatus(m, { status, errorCode, errorMessage, error }));
    }
    case 'state':
      return track(state, event.data.conversation);
    case 'window':
      return withWindow(state, event.data.conversationId, event.data.windowExpiresAt, event.data.serverTime, now);
    case 'presence':
      return state.agent && event.data.agentId === state.agent.id ? { ...state, agent: { ...state.agent, presence: event.data.presence } } : state;
    case 'consult': {
      if (event.data.ended) return removeSession(state, event.data.conversationId);
      const next = track(state, event.data.conversation);
      // An agent looking at nothing sees the consult at once; one busy elsewhere gets a tab.
      return next.selectedId ? next : select(next, event.data.conversationId);
    }
    case 'queue':
      return withQueueCounts(state, event.data);
    // Notes are read with the conversation (the side pane's notes box follows its own events).
    case 'note':
      return state;
  }
}

/**
 * The work in progress kept before a reload, for the conversations that are still the agent's
 * sessions (the others closed or went elsewhere meanwhile). What the panel already holds is newer
 * and stays (a draft joins it). The tabs go back to the order the agent had (the relay lists the newest-updated
 * first); sessions new since come after them, and the tab that was shown is shown again unless
 * the form's customer calls for theirs (selectFormConversation, next).
 */
function restoreWork(state: PanelState, work: WorkInProgress): PanelState {
  const isSession = new Set(state.sessions.map((s) => s.id));
  const next: PanelState = {
    ...state,
    sessions: inKeptOrder(state.sessions, work.order),
    drafts: withRestored(state.drafts, work.drafts, isSession, joinDrafts),
    wrapUps: withRestored(state.wrapUps, work.wrapUps, isSession),
    unread: withRestored(state.unread, work.unread, isSession),
  };
  const shown = work.selectedId;
  return !state.selectedId && shown !== null && isSession.has(shown) ? select(next, shown) : next;
}

/** The sessions in the kept order; those it does not name keep theirs, after it. */
function inKeptOrder(sessions: readonly Conversation[], order: readonly string[]): readonly Conversation[] {
  const place = new Map(order.map((id, index) => [id, index]));
  const placeOf = (c: Conversation) => place.get(c.id) ?? order.length;
  // Array sort is stable: the relay's order stands among the sessions kept nowhere.
  return [...sessions].sort((a, b) => placeOf(a) - placeOf(b));
}

/** The kept entries of sessions; where the panel holds one already, `merge` says what stays (what it holds, unless told). */
function withRestored<V>(
  held: ReadonlyMap<string, V>,
  kept: ReadonlyMap<string, V>,
  isSession: ReadonlySet<string>,
  merge: (held: V, kept: V) => V = (value) => value,
): ReadonlyMap<string, V> {
  const restored = [...kept].filter(([id]) => isSession.has(id)).map(([id, value]): [string, V] => [id, held.has(id) ? merge(held.get(id)!, value) : value]);
  return restored.length ? new Map([...held, ...restored]) : held;
}

/**
 * A send queued before the reload and refused since came back into the draft (draftRestored)
 * before the draft kept was restored: both stay, the refused text first, as draftRestored puts it.
 */
function joinDrafts(held: string, kept: string): string {
  return !held || kept.includes(held) ? kept : held.includes(kept) ? held : `${held}\n\n${kept}`;
}

/** Until a `window` event brings `serverTime`, the relay client's guess sets the clock. */
function learnClock(clock: RelayClock, offsetMs: number | null): RelayClock {
  return clock.offsetMs === 0 && offsetMs !== null && Math.abs(offsetMs) > HTTP_CLOCK_TOLERANCE_MS ? new RelayClock(offsetMs) : clock;
}

/**
 * Puts a conversation where it belongs: an offer, a session (the agent's own, or one it is
 * consulted on), or gone when closed or another agent's.
 */
function track(state: PanelState, conversation: Conversation): PanelState {
  const agentId = state.agent?.id;
  // A consultant hears of a conversation offered to someone else (a transfer): not its offer.
  const isOffer = conversation.state === 'open' && !!conversation.offer && !conversation.assignedAgentId && (!agentId || conversation.offer.agentId === agentId);
  if (isOffer) return addOffer(state, conversation, null, conversation.transfer ?? null);
  const next = withoutOffer(state, conversation.id);
  const known = next.sessions.some((s) => s.id === conversation.id);
  const mine = !agentId || conversation.assignedAgentId === agentId || conversation.consultants.includes(agentId);
  if (!ACTIVE_STATES.has(conversation.state) || !mine) {
    if (!known) return next;
    // An auto-close or a hand-over by someone else is told by its own notice (wcp-panel/session-notices.ts), with the reason.
    const closed =
      conversation.state === 'closed' && !!conversation.disposition && conversation.disposition !== AUTO_CLOSED_DISPOSITION && conversation.assignedAgentId === agentId;
    return removeSession(closed ? { ...next, lastClosed: closedConversation(next, conversation) } : next, conversation.id);
  }
  return {
    ...next,
    sessions: known ? next.sessions.map((s) => (s.id === conversation.id ? conversation : s)) : [...next.sessions, conversation],
  };
}

function addOffer(state: PanelState, conversation: Conversation, firstMessage: Message | null, transfer: Transfer | null): PanelState {
  if (state.sessions.some((s) => s.id === conversation.id)) return state;
  const existing = state.offers.find((o) => o.conversation.id === conversation.id);
  const offer = {
    conversation,
    firstMessage: firstMessage ?? existing?.firstMessage ?? null,
    transfer: transferShownTo(transfer ?? existing?.transfer, state.agent?.id),
  };
  return { ...state, offers: existing ? state.offers.map((o) => (o === existing ? offer : o)) : [...state.offers, offer] };
}

/** An offer without its first message shows the customer's message that arrives (or is read) for it. */
function withOfferMessage(state: PanelState, message: Message): PanelState {
  const offer = state.offers.find((o) => o.conversation.id === message.conversationId);
  if (!offer || offer.firstMessage || message.direction !== 'inbound') return state;
  return { ...state, offers: state.offers.map((o) => (o === offer ? { ...o, firstMessage: message } : o)) };
}

function withoutOffer(state: PanelState, conversationId: string): PanelState {
  return state.offers.some((o) => o.conversation.id === conversationId) ? { ...state, offers: state.offers.filter((o) => o.conversation.id !== conversationId) } : state;
}

/** A conversation's window as the relay last told it; `serverTime` sets the relay's clock. */
function withWindow(state: PanelState, conversationId: string, windowExpiresAt: string | null, serverTime: string | undefined, now: number): PanelState {
  const clock = serverTime ? RelayClock.fromServerTime(serverTime, now) : state.clock;
  const next = patchSession({ ...state, clock }, conversationId, (c) => ({ ...c, windowExpiresAt }));
  // A window that opened again (the customer wrote) takes the alert away.
  return isWindowClosed(windowExpiresAt, now + clock.offsetMs) ? next : { ...next, expiredAttempts: withoutEntry(next.expiredAttempts, conversationId) };
}

/** A `message` event: the offer's first message, the transcript, and unread counts of sessions in the background. */
function receive(state: PanelState, message: Message): PanelState {
  const id = message.conversationId;
  let next = withOfferMessage(state, message);
  const pending = next.pending.get(id);
  const echo = message.direction === 'outbound' && pending ? echoedPending(pending, message) : undefined;
  if (pending && echo) next = { ...next, pending: withEntry(next.pending, id, pending.filter((m) => m !== echo)) };
  // Only a customer's message new to a session in the background counts as unread. Whether it is
  // new is asked only then, and from the newest end: every message event passes here (each of
  // the agent's sends comes back as one), and a transcript may hold thousands.
  const toBackground = message.direction === 'inbound' && id !== next.selectedId && next.sessions.some((s) => s.id === id);
  const isNew = toBackground && indexFromNewest(next.transcripts.get(id)?.items ?? [], message.id) < 0;
  next = upsertMessage(next, message);
  if (isNew) next = { ...next, unread: withEntry(next.unread, id, unreadCount(next, id) + 1) };
  return next;
}

/**
 * The CRM form shows a customer: the panel shows their conversation, unless one of theirs is
 * already on screen. Their live one rather than one the agent has ended (wrap-up): a customer who
 * writes during the wrap-up has both.
 */
function selectFormConversation(state: PanelState): PanelState {
  const ofForm = state.sessions.filter((s) => hasFormPhone(state, s));
  if (ofForm.length === 0 || ofForm.some((s) => s.id === state.selectedId)) return state;
  return select(state, (ofForm.find((s) => mayWriteToCustomer(s.state)) ?? ofForm[0]!).id);
}

/** The phone on the CRM form (as its field holds it) is this conversation's customer's. */
function hasFormPhone(state: PanelState, conversation: Conversation): boolean {
  const phone = toE164(state.formPhone);
  return phone !== null && phone === conversation.customer.phone;
}

/** The agent looks at the conversation: it is read (its transcript loads the first time). */
function select(state: PanelState, conversationId: string): PanelState {
  // The composer's error is about the send in the conversation it was shown in.
  const composer = state.composer.error && state.selectedId !== conversationId ? { ...state.composer, error: '' } : state.composer;
  return { ...state, selectedId: conversationId, composer, unread: withoutEntry(state.unread, conversationId) };
}

/**
 * A session that ended or went to another agent: its transcript loads afresh if it comes back; its
 * wrap-up was sent (or is no longer this agent's); its photos and files leave memory (the relay
 * controller revokes each blob: URL that leaves `mediaUrls`), as a panel open all day must not
 * keep every picture it has shown.
 */
function removeSession(state: PanelState, conversationId: string): PanelState {
  const shown = new Set(state.transcripts.get(conversationId)?.items.flatMap((m) => m.media.map((item) => item.url)));
  const next: PanelState = {
    ...state,
    sessions: state.sessions.filter((s) => s.id !== conversationId),
    transcripts: withoutEntry(state.transcripts, conversationId),
    wrapUps: withoutEntry(state.wrapUps, conversationId),
    expiredAttempts: withoutEntry(state.expiredAttempts, conversationId),
    mediaUrls: [...shown].some((url) => state.mediaUrls.has(url)) ? new Map([...state.mediaUrls].filter(([url]) => !shown.has(url))) : state.mediaUrls,
  };
  if (state.selectedId !== conversationId) return next;
  // The form's customer's other conversation if there is one (their wrap-up closed beside it), else the first.
  const ofForm = selectFormConversation({ ...next, selectedId: null });
  if (ofForm.selectedId) return ofForm;
  return next.sessions[0] ? select(next, next.sessions[0].id) : { ...next, selectedId: null };
}

/** What the agent is told of its conversation that closed (by wrap-up, a supervisor or auto-close). */
function closedConversation(state: PanelState, conversation: Conversation): ClosedConversation {
  return { conversationId: conversation.id, title: displayName(state, conversation), disposition: conversation.disposition ?? '' };
}

/** A `queue` event: the counts of one of the agent's queues (others' are not shown). */
function withQueueCounts(state: PanelState, counts: QueueCounts): PanelState {
  if (!state.queues.some((q) => q.id === counts.queueId)) return state;
  return { ...state, queues: state.queues.map((q) => (q.id === counts.queueId ? { ...q, waiting: counts.waiting, longestWaitSince: counts.longestWaitSince } : q)) };
}

function patchSession(state: PanelState, conversationId: string, patch: (c: Conversation) => Conversation): PanelState {
  return { ...state, sessions: state.sessions.map((s) => (s.id === conversationId ? patch(s) : s)) };
}

/** The relay's clock (or WhatsApp's, error 63016) says the window is closed: believe it over ours. */
function windowExpired(state: PanelState, conversationId: string, now: number): PanelState {
  const relayNow = now + state.clock.offsetMs;
  const next = patchSession(state, conversationId, (c) => (isWindowClosed(c.windowExpiresAt, relayNow) ? c : { ...c, windowExpiresAt: new Date(relayNow).toISOString() }));
  return { ...next, expiredAttempts: attempted(next.expiredAttempts, conversationId) };
}

function addPending(state: PanelState, item: OutboxItem): PanelState {
  const message = pendingMessage(item, loadedMessages(state, item.conversationId), state.agent?.id ?? null);
  const list = state.pending.get(item.conversationId) ?? [];
  if (list.some((m) => m.id === message.id)) return state;
  return { ...state, pending: withEntry(state.pending, item.conversationId, [...list, message]) };
}

/** A failed message retried: queued again, the one move back a status makes (the relay makes it too). */
function requeued(state: PanelState, conversationId: string, messageId: string): PanelState {
  return patchMessage(state, conversationId, messageId, (m) => ({ ...m, status: 'queued', errorCode: null, errorMessage: null, error: undefined }));
}

/**
 * Pending rows of sends the relay's messages show stored (by the clientId each carries): a page
 * loaded after a reload holds a send the outbox still had, whose answer and event came before.
 */
function withoutStoredPending(state: PanelState, conversationId: string, messages: readonly Message[]): PanelState {
  const list = state.pending.get(conversationId);
  if (!list?.length) return state;
  const stored = new Set(messages.flatMap((m) => (m.clientId ? [pendingId(m.clientId)] : [])));
  const kept = list.filter((m) => !stored.has(m.id));
  return kept.length === list.length ? state : { ...state, pending: withEntry(state.pending, conversationId, kept) };
}

function upsertMessage(state: PanelState, message: Message): PanelState {
  const transcript = state.transcripts.get(message.conversationId);
  return transcript ? setTranscript(state, message.conversationId, { ...transcript, items: mergeMessage(transcript.items, message) }) : state;
}

/**
 * One message of a loaded transcript changed by `patch`. Searched from the newest (a status is
 * most often for a recent send); a patch that keeps the message (a status that does not move it
 * forward, `withStatus`) leaves the state as it was, so nothing renders for it.
 */
function patchMessage(state: PanelState, conversationId: string, messageId: string, patch: (m: Message) => Message): PanelState {
  const transcript = state.transcripts.get(conversationId);
  if (!transcript) return state;
  const index = indexFromNewest(transcript.items, messageId);
  if (index < 0) return state;
  const patched = patch(transcript.items[index]!);
  if (patched === transcript.items[index]) return state;
  const items = transcript.items.slice();
  items[index] = patched;
  return setTranscript(state, conversationId, { ...transcript, items });
}

function setTranscript(state: PanelState, conversationId: string, transcript: Transcript): PanelState {
  return { ...state, transcripts: withEntry(state.transcripts, conversationId, transcript) };
}

// ---- selectors ----------------------------------------------------------------------------

export function selectedConversation(state: PanelState): Conversation | undefined {
  return state.sessions.find((s) => s.id === state.selectedId);
}

/** The loaded messages, oldest first. */
export function loadedMessages(state: PanelState, conversationId: string): Message[] {
  return state.transcripts.get(conversationId)?.items ?? NO_MESSAGES;
}

export function threadOf(state: PanelState, conversationId: string): ThreadView {
  const transcript = state.transcripts.get(conversationId);
  const pending = state.pending.get(conversationId);
  const made = transcript && threadViews.get(transcript);
  if (made && made.pending === pending) return made.view;
  const view = {
    messages: [...(transcript?.items ?? []), ...(pending ?? [])],
    hasOlder: !!transcript?.next,
    loadingOlder: !!transcript?.loadingOlder,
  };
  if (transcript) threadViews.set(transcript, { pending, view });
  return view;
}

/**
 * The view made from a transcript (and the sends pending beside it), kept while both are the
 * same objects: the panel renders on every keystroke of a draft and every tick of a countdown,
 * and a new list each time made the thread and the side pane walk all of a long transcript's
 * messages again to find nothing changed.
 */
const threadViews = new WeakMap<Transcript, { pending: readonly ThreadMessage[] | undefined; view: ThreadView }>();

const NO_WRAP_UP: WrapUpDraft = { disposition: '', summary: '' };

/** The conversation's wrap-up as the agent left it (nothing chosen or written yet: empty). */
export function wrapUpOf(state: PanelState, conversationId: string): WrapUpDraft {
  return state.wrapUps.get(conversationId) ?? NO_WRAP_UP;
}

export function unreadCount(state: PanelState, conversationId: string): number {
  return state.unread.get(conversationId) ?? 0;
}

export function contactFor(state: PanelState, conversation: Conversation): CrmContact | null {
  return state.contacts.get(conversation.customer.phone) ?? null;
}

export function displayName(state: PanelState, conversation: Conversation): string {
  return contactFor(state, conversation)?.fullName ?? conversation.customer.profileName ?? conversation.customer.phone;
}

/** The session tabs, with windows moved onto the browser's clock so they count down with `Date.now()`. */
export function sessionSummaries(state: PanelState): SessionSummary[] {
  return state.sessions.map((s) => ({
    conversationId: s.id,
    title: displayName(state, s),
    state: s.state,
    unread: unreadCount(state, s.id),
    windowExpiresAt: state.clock.toLocal(s.windowExpiresAt),
    consulting: isConsulting(state, s),
  }));
}

/** The agent was invited to consult on it: it reads and adds notes, never writes to the customer or changes it. */
export function isConsulting(state: PanelState, conversation: Conversation): boolean {
  const agentId = state.agent?.id;
  return !!agentId && conversation.assignedAgentId !== agentId && conversation.consultants.includes(agentId);
}

/** The names of the colleagues consulted on it (their ids until the colleagues are loaded). */
export function consultantNames(state: PanelState, conversation: Conversation): string[] {
  return conversation.consultants.map((id) => state.colleagues.find((a) => a.id === id)?.name ?? id);
}

let authorsMemo: { selfId: string | null; colleagues: readonly AgentSummary[]; authors: MessageAuthors } | null = null;

/** Who reads the transcripts and the colleagues' names, the same object while neither changes (the thread re-renders its rows on a new one). */
export function messageAuthors(state: PanelState): MessageAuthors {
  const selfId = state.agent?.id ?? null;
  if (authorsMemo?.selfId !== selfId || authorsMemo.colleagues !== state.colleagues) {
    authorsMemo = { selfId, colleagues: state.colleagues, authors: { selfId, names: new Map(state.colleagues.map((a) => [a.id, a.name])) } };
  }
  return authorsMemo.authors;
}

/** True when a free-form message to the conversation would be refused: its window is closed on the relay's clock. */
export function isReplyWindowClosed(state: PanelState, conversation: Conversation, now: number): boolean {
  return isWindowClosed(conversation.windowExpiresAt, now + state.clock.offsetMs);
}

/** Customer phones of offers and sessions whose CRM contact has not been looked up. */
export function phonesToLookUp(state: PanelState): string[] {
  const phones = [...state.offers.map((o) => o.conversation), ...state.sessions].map((c) => c.customer.phone);
  return [...new Set(phones)].filter((phone) => !state.contacts.has(phone));
}

export function placeholderContext(state: PanelState, conversation: Conversation | undefined, formRecord: FormRecord | null): PlaceholderContext {
  const contact = conversation ? contactFor(state, conversation) : null;
  const record: Record<string, string> = { ...contact?.fields };
  const customer = dropEmpty({ firstName: contact?.firstName, lastName: contact?.lastName, email: contact?.email, phone: conversation?.customer.phone });
  if (contact) {
    Object.assign(record, dropEmpty({ fullname: contact.fullName, firstname: contact.firstName, lastname: contact.lastName, emailaddress1: contact.email, address1_city: contact.city }));
  }
  if (formRecord && conversation && isFormCustomer(state, conversation, formRecord)) Object.assign(record, { name: formRecord.name }, formRecord.fields);
  return {
    // No name known: {customer.name} stays unfilled for the agent to write, not "Hi +14155550100".
    customerName: (contact?.fullName ?? conversation?.customer.profileName) || '',
    agentName: state.agent?.name ?? '',
    record,
    customer,
  };
}

/**
 * Whether the record the form shows is this conversation's customer: the form's phone is the
 * customer's, or the conversation is linked to that record. Another session's customer must not
 * be sent the form's name, case number or phone ({record.…} placeholders).
 */
function isFormCustomer(state: PanelState, conversation: Conversation, formRecord: FormRecord): boolean {
  const linked = conversation.linkedRecord;
  if (linked && linked.entityType === formRecord.entityType && linked.id.toLowerCase() === formRecord.id.toLowerCase()) return true;
  return hasFormPhone(state, conversation);
}

// ---- immutable collections ---------------------------------------------------------------

function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): Map<K, V> {
  return new Map(map).set(key, value);
}

function withoutEntry<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  if (!map.has(key)) return map;
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}

/** One more refused free-form send to the conversation. */
function attempted(attempts: ReadonlyMap<string, number>, conversationId: string): ReadonlyMap<string, number> {
  return withEntry(attempts, conversationId, (attempts.get(conversationId) ?? 0) + 1);
}

function toggled<T>(set: ReadonlySet<T>, value: T, present: boolean): ReadonlySet<T> {
  if (set.has(value) === present) return set;
  const copy = new Set(set);
  if (present) copy.add(value);
  else copy.delete(value);
  return copy;
}

function dropEmpty(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => !!entry[1]));
}
