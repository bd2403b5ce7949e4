import type { ReactiveControllerHost } from 'lit';
import type { Message } from '@wcp/protocol';
import { nextStatus } from '@wcp/protocol/status-order';
import type { OutboxItem, RelayClient } from '../relay/relay-client.js';
import type { ThreadMessage } from '../wcp-thread/wcp-thread.js';

/** What the transcripts need from the panel. */
export interface TranscriptHostOptions {
  relay(): RelayClient | null;
  /** The signed-in agent, named as the sender of pending messages. */
  agentId(): string | null;
  /** Tells the agent a load failed (the panel's notice). */
  notify(text: string): void;
}

/** What `<wcp-thread>` shows of one conversation. */
export interface ThreadView {
  messages: ThreadMessage[];
  hasOlder: boolean;
  loadingOlder: boolean;
}

interface Transcript {
  items: Message[];
  /** The cursor of the next older page; null once the first message is loaded. */
  next: string | null;
  loadingOlder: boolean;
}

const NO_MESSAGES: Message[] = [];

/**
 * Keeps each conversation's messages as the agent sees them: the transcript, loaded a page at
 * a time from the relay and kept current by `message` and `status` events; the agent's sends,
 * shown as pending until the relay has them; and how many customer messages came into
 * sessions the agent is not looking at.
 */
export class TranscriptController {
  /** Only conversations the agent has opened; events for the others come with their first page. */
  private transcripts = new Map<string, Transcript>();
  private pending = new Map<string, readonly ThreadMessage[]>();
  private unread = new Map<string, number>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: TranscriptHostOptions,
  ) {}

  /** The loaded messages, oldest first. */
  loaded(conversationId: string): Message[] {
    return this.transcripts.get(conversationId)?.items ?? NO_MESSAGES;
  }

  thread(conversationId: string): ThreadView {
    const transcript = this.transcripts.get(conversationId);
    return {
      messages: [...(transcript?.items ?? []), ...(this.pending.get(conversationId) ?? [])],
      hasOlder: !!transcript?.next,
      loadingOlder: !!transcript?.loadingOlder,
    };
  }

  unreadCount(conversationId: string): number {
    return this.unread.get(conversationId) ?? 0;
  }

  /** The agent looks at the conversation: it is read, and its transcript loads the first time. */
  open(conversationId: string): void {
    this.unread.delete(conversationId);
    this.host.requestUpdate();
    if (!this.transcripts.has(conversationId)) void this.load(conversationId);
  }

  /** A session that ended or went to another agent: its transcript loads afresh if it comes back. */
  unload(conversationId: string): void {
    this.transcripts.delete(conversationId);
    this.host.requestUpdate();
  }

  /**
   * A `message` event. `inBackground`: the conversation is one of the agent's sessions but not
   * the one shown, so a new customer message there counts as unread.
   */
  receive(message: Message, inBackground: boolean): void {
    const id = message.conversationId;
    if (message.direction === 'outbound') this.dropEchoedPending(message);
    const transcript = this.transcripts.get(id);
    const isNew = !transcript?.items.some((m) => m.id === message.id);
    if (transcript) this.upsertMessage(message);
    if (isNew && message.direction === 'inbound' && inBackground) {
      this.unread.set(id, this.unreadCount(id) + 1);
      this.host.requestUpdate();
    }
  }

  upsertMessage(message: Message): void {
    const transcript = this.transcripts.get(message.conversationId);
    if (!transcript) return;
    this.setTranscript(message.conversationId, { ...transcript, items: mergeMessages(transcript.items, [message]) });
  }

  /**
   * A `status` event. Like the relay, a status only moves forward: the POST's answer and the
   * stream's events can arrive in either order, and an older one must not take a tick back.
   */
  applyStatus(conversationId: string, messageId: string, update: StatusUpdate): void {
    this.patchMessage(conversationId, messageId, (m) => withStatus(m, update));
  }

  /**
   * The agent retries a failed message: the relay requeues it (the one move back it makes), so
   * the panel does too, before asking, and the requeue's answer and events then move it forward.
   * Returns how to put it back if the relay refuses.
   */
  resetForRetry(conversationId: string, messageId: string): () => void {
    const before = this.transcripts.get(conversationId)?.items.find((m) => m.id === messageId);
    this.patchMessage(conversationId, messageId, (m) => ({ ...m, status: 'queued', errorCode: null, errorMessage: null }));
    return () => {
      if (before) this.patchMessage(conversationId, messageId, (m) => ({ ...m, status: before.status, errorCode: before.errorCode, errorMessage: before.errorMessage }));
    };
  }

  patchMessage(conversationId: string, messageId: string, patch: (m: Message) => Message): void {
    const transcript = this.transcripts.get(conversationId);
    if (!transcript?.items.some((m) => m.id === messageId)) return;
    this.setTranscript(conversationId, { ...transcript, items: transcript.items.map((m) => (m.id === messageId ? patch(m) : m)) });
  }

  async loadOlder(conversationId: string): Promise<void> {
    const transcript = this.transcripts.get(conversationId);
    const relay = this.options.relay();
    if (!transcript?.next || transcript.loadingOlder || !relay) return;
    this.setTranscript(conversationId, { ...transcript, loadingOlder: true });
    try {
      const page = await relay.listMessages(conversationId, { before: transcript.next });
      // Messages may have arrived meanwhile, or the session been closed: work on what is there now.
      const current = this.transcripts.get(conversationId);
      if (current) this.setTranscript(conversationId, { items: mergeMessages(page.items, current.items), next: page.next, loadingOlder: false });
    } catch (error) {
      const current = this.transcripts.get(conversationId);
      if (current) this.setTranscript(conversationId, { ...current, loadingOlder: false });
      this.options.notify(`Older messages could not be loaded: ${messageOf(error)}`);
    }
  }

  /** Shows a send (ours, or one the relay client still has queued) until the relay has it. */
  addPending(item: OutboxItem): void {
    const message = this.pendingMessage(item);
    const list = this.pending.get(item.conversationId) ?? [];
    if (list.some((m) => m.id === message.id)) return;
    this.setPending(item.conversationId, [...list, message]);
  }

  removePending(conversationId: string, clientId: string): void {
    const list = this.pending.get(conversationId);
    if (!list) return;
    this.setPending(conversationId, list.filter((m) => m.id !== `pending:${clientId}`));
  }

  private async load(conversationId: string): Promise<void> {
    const relay = this.options.relay();
    if (!relay) return;
    this.setTranscript(conversationId, { items: [], next: null, loadingOlder: true });
    try {
      const page = await relay.listMessages(conversationId);
      const current = this.transcripts.get(conversationId);
      // The session ended while the page loaded: keep nothing, so a return loads afresh.
      if (!current) return;
      // Events that arrived while the page loaded are kept.
      const items = mergeMessages(page.items, current.items);
      this.setTranscript(conversationId, { items, next: page.next, loadingOlder: false });
    } catch (error) {
      this.unload(conversationId);
      this.options.notify(`The transcript could not be loaded: ${messageOf(error)}`);
    }
  }

  /** The relay's `message` event for our own send can beat the POST's answer: drop the placeholder then. */
  private dropEchoedPending(message: Message): void {
    const list = this.pending.get(message.conversationId);
    const echo = list?.find((m) => m.body === message.body && (m.template?.contentSid ?? null) === (message.template?.contentSid ?? null));
    if (list && echo) this.setPending(message.conversationId, list.filter((m) => m !== echo));
  }

  private pendingMessage(item: OutboxItem): ThreadMessage {
    const { request } = item;
    const quoted = request.replyToMessageId ? this.transcripts.get(item.conversationId)?.items.find((m) => m.id === request.replyToMessageId) : undefined;
    return {
      id: `pending:${item.clientId}`,
      conversationId: item.conversationId,
      direction: 'outbound',
      body: request.body ?? (request.template ? 'Template message' : ''),
      status: 'queued',
      errorCode: null,
      errorMessage: null,
      media: [],
      replyTo: quoted ? { id: quoted.id, body: quoted.body } : null,
      template: request.template ?? null,
      agentId: this.options.agentId(),
      sentiment: null,
      createdAt: item.queuedAt,
      pending: true,
    };
  }

  private setTranscript(conversationId: string, transcript: Transcript): void {
    this.transcripts.set(conversationId, transcript);
    this.host.requestUpdate();
  }

  private setPending(conversationId: string, list: readonly ThreadMessage[]): void {
    this.pending.set(conversationId, list);
    this.host.requestUpdate();
  }
}

type StatusUpdate = Pick<Message, 'status' | 'errorCode' | 'errorMessage'>;

/**
 * `message` with `update`'s status if that is a step forward (the relay's `nextStatus`); the
 * error fields come with a failed status and otherwise stay, as in the relay's stores.
 */
function withStatus(message: Message, update: StatusUpdate): Message {
  const status = nextStatus(message.status, update.status);
  if (status === message.status) return message;
  const failed = status === 'failed' || status === 'undelivered';
  return {
    ...message,
    status,
    errorCode: failed ? update.errorCode : message.errorCode,
    errorMessage: failed ? update.errorMessage : message.errorMessage,
  };
}

/** Messages by id (later copies win, but their status only moves forward), oldest first. */
function mergeMessages(a: readonly Message[], b: readonly Message[]): Message[] {
  const byId = new Map<string, Message>();
  for (const message of [...a, ...b]) {
    const earlier = byId.get(message.id);
    byId.set(message.id, earlier ? withStatus({ ...message, status: earlier.status, errorCode: earlier.errorCode, errorMessage: earlier.errorMessage }, message) : message);
  }
  return [...byId.values()].sort((x, y) => x.createdAt.localeCompare(y.createdAt));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
