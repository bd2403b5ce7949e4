import type { Message } from '@wcp/protocol';
import { isNotDelivered, nextStatus } from '@wcp/protocol/status-order';
import type { OutboxItem } from '../relay/relay-client.js';
import type { ThreadMessage } from '../wcp-thread/wcp-thread.js';

export type StatusUpdate = Pick<Message, 'status' | 'errorCode' | 'errorMessage'> & Pick<Partial<Message>, 'error'>;

/**
 * `message` with `update`'s status if that is a step forward (the relay's `nextStatus`): the
 * POST's answer and the stream's events arrive in either order, and an older one must not take
 * a tick back. The error fields come with a failed status and otherwise stay, as in the relay's stores.
 */
export function withStatus(message: Message, update: StatusUpdate): Message {
  const status = nextStatus(message.status, update.status);
  if (status === message.status) return message;
  const failed = isNotDelivered(status);
  const next: Message = {
    ...message,
    status,
    errorCode: failed ? update.errorCode : message.errorCode,
    errorMessage: failed ? update.errorMessage : message.errorMessage,
  };
  // The plain-words explanation (`error`) belongs to the failure it came with.
  if (failed && update.error) next.error = update.error;
  else if (failed) delete next.error;
  return next;
}

/** Messages by id (later copies win, but their status only moves forward), oldest first. */
export function mergeMessages(a: readonly Message[], b: readonly Message[]): Message[] {
  const byId = new Map<string, Message>();
  for (const message of [...a, ...b]) {
    const earlier = byId.get(message.id);
    byId.set(message.id, earlier ? laterCopy(earlier, message) : message);
  }
  return [...byId.values()].sort(byCreatedAt);
}

const byCreatedAt = (x: Message, y: Message) => x.createdAt.localeCompare(y.createdAt);

/** `later` in place of `earlier` (the same message): its fields, but the status only forward. */
function laterCopy(earlier: Message, later: Message): Message {
  return withStatus({ ...later, status: earlier.status, errorCode: earlier.errorCode, errorMessage: earlier.errorMessage }, later);
}

/**
 * `mergeMessages(transcript, [message])` for a transcript `mergeMessages` made (by id, oldest
 * first), in one walk instead of a map and a sort of the whole transcript: each arrival does
 * this, and each send twice (the POST's answer and the stream's echo). A copy of a message it
 * holds, at the same time, goes in its place; a new message no older than the newest goes at
 * the end; anything else takes the general merge.
 */
export function mergeMessage(transcript: readonly Message[], message: Message): Message[] {
  const i = indexFromNewest(transcript, message.id);
  const earlier = transcript[i];
  if (earlier && earlier.createdAt === message.createdAt) {
    const merged = transcript.slice();
    merged[i] = laterCopy(earlier, message);
    return merged;
  }
  const newest = transcript.at(-1);
  if (!earlier && (!newest || byCreatedAt(newest, message) <= 0)) return [...transcript, message];
  return mergeMessages(transcript, [message]);
}

/**
 * Where message `id` is in `transcript`, looked for from the newest (what arrives or changes is
 * most often recent); -1 when it is not there.
 */
export function indexFromNewest(transcript: readonly Message[], id: string): number {
  let i = transcript.length - 1;
  while (i >= 0 && transcript[i]!.id !== id) i--;
  return i;
}

/** The id a send is shown under until the relay has it. */
export function pendingId(clientId: string): string {
  return `pending:${clientId}`;
}

/** How a send (ours, or one the relay client still has queued) shows until the relay has it. */
export function pendingMessage(item: OutboxItem, loaded: readonly Message[], agentId: string | null): ThreadMessage {
  const { request } = item;
  const quoted = request.replyToMessageId ? loaded.find((m) => m.id === request.replyToMessageId) : undefined;
  return {
    id: pendingId(item.clientId),
    conversationId: item.conversationId,
    direction: 'outbound',
    // A template send has no body until the relay renders it: the thread says "Template message".
    body: request.body ?? '',
    status: 'queued',
    errorCode: null,
    errorMessage: null,
    media: [],
    replyTo: quoted ? { id: quoted.id, body: quoted.body } : null,
    template: request.template ?? null,
    agentId,
    sentiment: null,
    createdAt: item.queuedAt,
    pending: true,
  };
}

/** The relay's `message` event for our own send can beat the POST's answer: this is the placeholder to drop then. */
export function echoedPending(pending: readonly ThreadMessage[], message: Message): ThreadMessage | undefined {
  if (message.clientId) {
    const id = pendingId(message.clientId);
    return pending.find((m) => m.id === id);
  }
  // A relay older than Message.clientId: by what was sent (a template's placeholder has no text yet).
  return pending.find((m) => m.body === message.body && (m.template?.contentSid ?? null) === (message.template?.contentSid ?? null));
}
