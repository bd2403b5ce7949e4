import type {
  Agent,
  AgentScript,
  AgentSummary,
  Conversation,
  ConversationState,
  Disposition,
  Message,
  MessagePage,
  Note,
  Presence,
  Queue,
  QuickReply,
  RecordRef,
  RelayEvent,
  SearchHit,
  SendMessageRequest,
  TransferRequest,
  TemplateList,
  UploadedMedia,
} from '@wcp/protocol';
import { backoffDelay } from './backoff.js';
import { openEventStream, type ConnectionState } from './event-stream.js';
import { agentKeyFromToken, newClientId, Outbox, outboxKey, type OutboxItem, type OutboxStorage } from './outbox.js';
import { RelayError, relayErrorFrom, relayErrorOf } from './relay-error.js';
import type { WrapUp } from '../events/change-state-event.js';
import type { CrmFailure, SupervisorOverview } from '@wcp/protocol';

export type { ConnectionState } from './event-stream.js';
export type { OutboxItem } from './outbox.js';
export { RelayError } from './relay-error.js';

export interface RelayClientOptions {
  /** The relay's origin (and path prefix, if any), e.g. `https://relay.contoso.com`. */
  baseUrl: string;
  /** A current bearer token; called before every request, so it may refresh. */
  getToken: () => Promise<string>;
  fetchImpl?: typeof fetch;
  /** Where the offline outbox persists; defaults to sessionStorage, `null` keeps it in memory. */
  outboxStorage?: OutboxStorage | null;
  heartbeatTimeoutMs?: number;
  backoff?: { baseMs?: number; maxMs?: number; random?: () => number };
}

/**
 * Called when the relay answered a queued send nobody in this page waits for — one queued before
 * a reload (or before the control was created again): the message it stored, or why it refused
 * it (e.g. the window closed while the agent was offline).
 */
export type OutboxSettledListener = (item: OutboxItem, result: Message | RelayError) => void;

/** Typed access to the relay's agent API (docs/agent-api.md) plus its event stream. */
export interface RelayClient {
  readonly baseUrl: string;
  /**
   * Where this client keeps what must outlive a reload of the page (its outbox): the panel keeps
   * the agent's work in progress there too (state/work-in-progress.ts). Null: nothing is kept.
   */
  readonly keptIn: OutboxStorage | null;
  me(): Promise<Agent>;
  setPresence(presence: Presence): Promise<Agent>;
  listConversations(state?: ConversationState): Promise<Conversation[]>;
  getConversation(conversationId: string): Promise<Conversation>;
  acceptOffer(conversationId: string): Promise<Conversation>;
  rejectOffer(conversationId: string): Promise<void>;
  listMessages(conversationId: string, page?: { before?: string | null; limit?: number }): Promise<MessagePage>;
  /**
   * Queues the send in the outbox (with a stable clientId) and posts it as soon as the
   * connection allows; resolves with the relay's message, rejects with a RelayError when
   * the relay refuses it (e.g. `window_expired`).
   */
  sendMessage(conversationId: string, request: SendMessageRequest): Promise<Message>;
  /** Sends that are queued and not yet confirmed, oldest first (survives a reload). */
  pendingSends(): Promise<readonly OutboxItem[]>;
  retryMessage(conversationId: string, messageId: string): Promise<Message>;
  /** Closing needs `wrapUp` (a disposition from `dispositions()`, and an optional summary). */
  setState(conversationId: string, state: ConversationState, wrapUp?: WrapUp | null): Promise<Conversation>;
  listNotes(conversationId: string): Promise<Note[]>;
  addNote(conversationId: string, body: string): Promise<Note>;
  linkRecord(conversationId: string, record: RecordRef): Promise<Conversation>;
  unlinkRecord(conversationId: string): Promise<Conversation>;
  customerConversations(phoneE164: string): Promise<Conversation[]>;
  quickReplies(): Promise<QuickReply[]>;
  scripts(): Promise<AgentScript[]>;
  /** Every template with its category and approval status; `stale` when the relay serves its last good list. */
  templates(): Promise<TemplateList>;
  /** The agent is typing: the relay shows WhatsApp's typing indicator (it marks the customer's latest message read). */
  typing(conversationId: string): Promise<void>;
  /** The wrap-up's dispositions (Resolved, Follow-up needed, ...), as the relay configures them. */
  dispositions(): Promise<Disposition[]>;
  search(query: string): Promise<SearchHit[]>;
  /** Colleagues to transfer to or consult, with whether each can take one more conversation now. */
  agents(): Promise<AgentSummary[]>;
  /** The agent's queues with how many conversations wait in each; `all`: every queue (where to transfer). */
  queues(scope?: 'mine' | 'all'): Promise<Queue[]>;
  /** Hands the conversation to an agent or a queue (`202`); the agent no longer sees it. */
  transfer(conversationId: string, request: TransferRequest): Promise<void>;
  /** Invites a colleague to read the conversation and add notes. */
  startConsult(conversationId: string, agentId: string): Promise<void>;
  /** The holder ends every consult on it; a consultant ends its own. */
  endConsult(conversationId: string): Promise<void>;
  /** Uploads with XMLHttpRequest, as `fetch` reports no upload progress; `onProgress` gets 0…1. */
  uploadMedia(file: File, onProgress?: (fraction: number) => void): Promise<UploadedMedia>;
  /** The bytes behind a media `url` (a relay path), fetched with the token. */
  fetchMedia(url: string): Promise<Blob>;
  /**
   * The relay's clock minus ours: from the event stream's `ready` frame when it carries
   * `serverTime`, else from the `Date` header of the latest answer (to the second; cross-origin
   * it needs `Access-Control-Expose-Headers: Date`); null until either was seen.
   */
  serverClockOffsetMs(): number | null;
  /**
   * Opens the event stream; resumes with `Last-Event-ID` after every drop and flushes the
   * outbox each time it (re)opens. Returns the unsubscribe function.
   */
  subscribe(
    onEvent: (event: RelayEvent) => void,
    onConnectionChange?: (state: ConnectionState) => void,
    onOutboxSettled?: OutboxSettledListener,
    /** The stream resumed past events the relay no longer holds (EVENT_LOG_RETENTION): load the conversations again. */
    onMissedEvents?: () => void,
  ): () => void;

  // Supervisor only (the relay answers 403 forbidden to agents).
  /** Every agent, queue and conversation not closed. */
  supervisorOverview(): Promise<SupervisorOverview>;
  /** Offers an open conversation to that agent, whatever its queue (409 agent_unavailable when it cannot take it). */
  assign(conversationId: string, agentId: string): Promise<Conversation>;
  /** CRM writes Dataverse refused for good, newest first, with their errors. */
  crmFailures(): Promise<CrmFailure[]>;
  /** Tries refused CRM writes again once their cause is fixed (none given: every one listed); the conversations retried. */
  retryCrmWrites(conversationIds?: readonly string[]): Promise<string[]>;
}

type Body = { json: unknown } | { form: FormData } | undefined;

export function createRelayClient(options: RelayClientOptions): RelayClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const storage = options.outboxStorage === undefined ? defaultStorage() : options.outboxStorage;

  let connection: ConnectionState = 'idle';
  let lastEventId: string | null = null;
  let outbox: Outbox | null = null;
  let draining = false;
  let drainAttempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let httpClockOffsetMs: number | null = null;
  let readyClockOffsetMs: number | null = null;
  const waiters = new Map<string, { resolve: (m: Message) => void; reject: (e: RelayError) => void }>();
  const settledListeners = new Set<OutboxSettledListener>();

  async function call(method: string, path: string, body?: Body): Promise<Response> {
    const token = await options.getToken();
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    let payload: BodyInit | undefined;
    if (body && 'json' in body) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      payload = body.form;
    }
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, { method, headers, body: payload });
    } catch {
      throw new RelayError(0, 'network_error', 'The relay cannot be reached. Check the connection.');
    }
    const serverDate = Date.parse(response.headers.get('Date') ?? '');
    if (Number.isFinite(serverDate)) httpClockOffsetMs = serverDate - Date.now();
    if (!response.ok) throw await relayErrorFrom(response);
    return response;
  }

  async function json<T>(method: string, path: string, body?: Body): Promise<T> {
    const response = await call(method, path, body);
    return (await response.json()) as T;
  }

  const items = async <T>(path: string): Promise<T[]> => (await json<{ items: T[] }>('GET', path)).items;
  const conv = (id: string) => `/api/v1/conversations/${encodeURIComponent(id)}`;

  async function getOutbox(): Promise<Outbox> {
    if (!outbox) outbox = new Outbox(storage, outboxKey(agentKeyFromToken(await options.getToken())));
    return outbox;
  }

  const connectionDown = () => connection === 'reconnecting' || connection === 'closed';

  async function drain(): Promise<void> {
    if (draining || connectionDown()) return;
    draining = true;
    try {
      const queue = await getOutbox();
      for (let item = queue.first(); item && !connectionDown(); item = queue.first()) {
        try {
          const message = await json<Message>('POST', `${conv(item.conversationId)}/messages`, { json: item.request });
          drainAttempt = 0;
          queue.remove(item.clientId);
          settle(item, message);
        } catch (error) {
          const relayError = error instanceof RelayError ? error : new RelayError(0, 'network_error', String(error));
          if (isTransient(relayError)) {
            // Keep it queued; the relay dedupes by clientId, so posting again is safe.
            clearTimeout(retryTimer);
            retryTimer = setTimeout(() => void drain(), backoffDelay(drainAttempt++, options.backoff));
            return;
          }
          queue.remove(item.clientId);
          settle(item, relayError);
        }
      }
    } finally {
      draining = false;
    }
  }

  function settle(item: OutboxItem, result: Message | RelayError): void {
    const waiter = waiters.get(item.clientId);
    waiters.delete(item.clientId);
    if (!waiter) settledListeners.forEach((listener) => listener(item, result));
    else if (result instanceof RelayError) waiter.reject(result);
    else waiter.resolve(result);
  }

  return {
    baseUrl,
    keptIn: storage,
    me: () => json<Agent>('GET', '/api/v1/me'),
    setPresence: (presence) => json<Agent>('PUT', '/api/v1/me/presence', { json: { presence } }),
    listConversations: (state) =>
      items<Conversation>(`/api/v1/conversations${state ? `?state=${encodeURIComponent(state)}` : ''}`),
    getConversation: (id) => json<Conversation>('GET', conv(id)),
    acceptOffer: (id) => json<Conversation>('POST', `${conv(id)}/accept`),
    rejectOffer: async (id) => {
      await call('POST', `${conv(id)}/reject`);
    },
    listMessages: (id, page = {}) => {
      const query = new URLSearchParams();
      if (page.before) query.set('before', page.before);
      query.set('limit', String(page.limit ?? 50));
      return json<MessagePage>('GET', `${conv(id)}/messages?${query}`);
    },
    async sendMessage(conversationId, request) {
      const clientId = request.clientId ?? newClientId();
      const queue = await getOutbox();
      const result = new Promise<Message>((resolve, reject) => waiters.set(clientId, { resolve, reject }));
      queue.add({ clientId, conversationId, request: { ...request, clientId }, queuedAt: new Date().toISOString() });
      // The POST goes out in a task after the caller's, so the pending row the panel renders is in
      // the DOM before the relay could answer, and fetch()'s own cost stays out of the click's
      // task. Chromium paints that frame before running the task: painted before the answer 20/20
      // against 3-6/20, sent tick p50 unchanged (test/bench/README.md, "Eighteenth session").
      // The send is already safe in the outbox.
      setTimeout(() => void drain(), 0);
      return result;
    },
    pendingSends: async () => (await getOutbox()).list(),
    retryMessage: (id, messageId) =>
      json<Message>('POST', `${conv(id)}/messages/${encodeURIComponent(messageId)}/retry`),
    setState: (id, state, wrapUp) => json<Conversation>('PUT', `${conv(id)}/state`, { json: { state, ...(wrapUp ?? {}) } }),
    listNotes: (id) => items<Note>(`${conv(id)}/notes`),
    addNote: (id, body) => json<Note>('POST', `${conv(id)}/notes`, { json: { body } }),
    linkRecord: (id, record) => json<Conversation>('PUT', `${conv(id)}/link`, { json: record }),
    unlinkRecord: (id) => json<Conversation>('DELETE', `${conv(id)}/link`),
    customerConversations: (phone) => items<Conversation>(`/api/v1/customers/${encodeURIComponent(phone)}/conversations`),
    quickReplies: () => items<QuickReply>('/api/v1/quick-replies'),
    scripts: () => items<AgentScript>('/api/v1/scripts'),
    templates: () => json<TemplateList>('GET', '/api/v1/templates'),
    typing: async (id) => {
      await call('POST', `${conv(id)}/typing`);
    },
    dispositions: () => items<Disposition>('/api/v1/dispositions'),
    search: (query) => items<SearchHit>(`/api/v1/search?q=${encodeURIComponent(query)}`),
    agents: () => items<AgentSummary>('/api/v1/agents'),
    queues: (scope = 'mine') => items<Queue>(scope === 'all' ? '/api/v1/queues?all=true' : '/api/v1/queues'),
    transfer: async (id, request) => {
      await call('POST', `${conv(id)}/transfer`, { json: request });
    },
    startConsult: async (id, agentId) => {
      await call('POST', `${conv(id)}/consult`, { json: { agentId } });
    },
    endConsult: async (id) => {
      await call('DELETE', `${conv(id)}/consult`);
    },
    async uploadMedia(file, onProgress) {
      const form = new FormData();
      form.append('file', file, file.name);
      const xhr = await sendWithProgress(`${baseUrl}/api/v1/media`, await options.getToken(), form, onProgress);
      const serverDate = Date.parse(xhr.getResponseHeader('Date') ?? '');
      if (Number.isFinite(serverDate)) httpClockOffsetMs = serverDate - Date.now();
      if (xhr.status < 200 || xhr.status >= 300) throw relayErrorOf(xhr.status, xhr.statusText, xhr.responseText);
      return JSON.parse(xhr.responseText) as UploadedMedia;
    },
    async fetchMedia(url) {
      const path = relayPath(url, baseUrl);
      if (path === null) throw new RelayError(0, 'foreign_media_url', 'Media is only loaded from the relay.');
      return (await call('GET', path)).blob();
    },
    serverClockOffsetMs: () => readyClockOffsetMs ?? httpClockOffsetMs,
    supervisorOverview: () => json<SupervisorOverview>('GET', '/api/v1/supervisor/overview'),
    assign: (id, agentId) => json<Conversation>('POST', `${conv(id)}/assign`, { json: { agentId } }),
    crmFailures: () => items<CrmFailure>('/api/v1/supervisor/crm-failures'),
    retryCrmWrites: async (conversationIds) =>
      (await json<{ retried: string[] }>('POST', '/api/v1/supervisor/crm-failures/retry', { json: conversationIds ? { conversationIds } : {} })).retried,
    subscribe(onEvent, onConnectionChange, onOutboxSettled, onMissedEvents) {
      if (onOutboxSettled) settledListeners.add(onOutboxSettled);
      const stream = openEventStream({
        url: `${baseUrl}/api/v1/events`,
        getToken: options.getToken,
        fetchImpl,
        lastEventId,
        heartbeatTimeoutMs: options.heartbeatTimeoutMs,
        backoff: options.backoff,
        onReady({ serverTime, reload }) {
          const relayNow = Date.parse(serverTime ?? '');
          if (Number.isFinite(relayNow)) readyClockOffsetMs = relayNow - Date.now();
          if (reload) onMissedEvents?.();
        },
        onEvent(event) {
          lastEventId = event.id || lastEventId;
          onEvent(event);
        },
        onStateChange(state) {
          connection = state;
          onConnectionChange?.(state);
          if (state === 'open') {
            drainAttempt = 0;
            void drain();
          }
        },
      });
      return () => {
        lastEventId = stream.lastEventId;
        stream.close();
        clearTimeout(retryTimer);
        if (onOutboxSettled) settledListeners.delete(onOutboxSettled);
      };
    },
  };
}

/** A POST by XMLHttpRequest, for its upload progress; resolves once answered (any status), rejects when the relay cannot be reached. */
function sendWithProgress(url: string, token: string, form: FormData, onProgress?: (fraction: number) => void): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      // Answered means all bytes went up, even where no progress event came (a service worker in between).
      onProgress?.(1);
      resolve(xhr);
    };
    xhr.onerror = xhr.onabort = xhr.ontimeout = () => reject(new RelayError(0, 'network_error', 'The relay cannot be reached. Check the connection.'));
    xhr.send(form);
  });
}

function isTransient(error: RelayError): boolean {
  return error.isNetworkError || error.status === 429 || error.status >= 500;
}

/** The path of a media URL if it points at the relay (relative, or same origin as baseUrl); else null, so the token never leaves. */
function relayPath(url: string, baseUrl: string): string | null {
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const target = new URL(url);
    const relay = new URL(baseUrl || '/', globalThis.location?.href);
    if (target.origin !== relay.origin) return null;
    return target.pathname.startsWith(relay.pathname.replace(/\/$/, ''))
      ? target.pathname.slice(relay.pathname.replace(/\/$/, '').length) + target.search
      : null;
  } catch {
    return null;
  }
}

function defaultStorage(): OutboxStorage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}
