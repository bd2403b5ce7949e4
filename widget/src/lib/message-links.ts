import type { Message } from '@wcp/protocol';

/** The earlier messages a transcript's messages point at, found once per list. */
export interface MessageLinks {
  /** The loaded message a reply quotes, if it is in the list. */
  quoted(message: Message): Message | undefined;
  /** For a customer's button tap: the agent's message that offered the button, if it is in the list. */
  question(message: Message): Message | undefined;
}

const cache = new WeakMap<readonly Message[], MessageLinks>();

/**
 * Links for a transcript, built in one pass and kept for as long as the same array is shown:
 * bubbles of a virtualised list ask for theirs on every render, so this must stay cheap.
 *
 * The links hold places in `messages`, not the objects, and read the array when asked: an array
 * whose entries are replaced in place by newer copies of the same messages (same id at the same
 * place: a status update, `wcp-thread`'s `refreshCopies`) answers with the current copies
 * without being walked again. What a link depends on (ids, direction, buttons, what a reply
 * quotes) is the relay's and does not change on a message once stored.
 */
export function messageLinks(messages: readonly Message[]): MessageLinks {
  let links = cache.get(messages);
  if (!links) {
    links = buildLinks(messages);
    cache.set(messages, links);
  }
  return links;
}

function buildLinks(messages: readonly Message[]): MessageLinks {
  const byId = new Map<string, number>();
  const questions = new Map<string, number>();
  /** The agent's latest message offering each button id, as the transcript is read top to bottom. */
  const offered = new Map<string, number>();
  messages.forEach((message, index) => {
    byId.set(message.id, index);
    if (message.direction === 'outbound') for (const button of message.buttons ?? []) offered.set(button.id, index);
    if (message.button) {
      const question = answeredBy(message, messages, byId, offered);
      if (question !== undefined) questions.set(message.id, question);
    }
  });
  const at = (index: number | undefined) => (index === undefined ? undefined : messages[index]);
  return {
    quoted: (message) => (message.replyTo?.id ? at(byId.get(message.replyTo.id)) : undefined),
    question: (message) => at(questions.get(message.id)),
  };
}

/**
 * WhatsApp quotes the message whose button was tapped (Twilio's OriginalRepliedMessageSid);
 * without that quote, the tap's payload is the id of a quick-reply button the agent sent.
 */
function answeredBy(tap: Message, messages: readonly Message[], byId: Map<string, number>, offered: Map<string, number>): number | undefined {
  const quoted = tap.replyTo?.id ? byId.get(tap.replyTo.id) : undefined;
  if (quoted !== undefined && messages[quoted]!.direction === 'outbound') return quoted;
  return tap.button?.payload ? offered.get(tap.button.payload) : undefined;
}
