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
  const byId = new Map<string, Message>();
  const questions = new Map<string, Message>();
  /** The agent's latest message offering each button id, as the transcript is read top to bottom. */
  const offered = new Map<string, Message>();
  for (const message of messages) {
    byId.set(message.id, message);
    if (message.direction === 'outbound') for (const button of message.buttons ?? []) offered.set(button.id, message);
    if (message.button) {
      const question = answeredBy(message, byId, offered);
      if (question) questions.set(message.id, question);
    }
  }
  return {
    quoted: (message) => (message.replyTo?.id ? byId.get(message.replyTo.id) : undefined),
    question: (message) => questions.get(message.id),
  };
}

/**
 * WhatsApp quotes the message whose button was tapped (Twilio's OriginalRepliedMessageSid);
 * without that quote, the tap's payload is the id of a quick-reply button the agent sent.
 */
function answeredBy(tap: Message, byId: Map<string, Message>, offered: Map<string, Message>): Message | undefined {
  const quoted = tap.replyTo?.id ? byId.get(tap.replyTo.id) : undefined;
  if (quoted?.direction === 'outbound') return quoted;
  return tap.button?.payload ? offered.get(tap.button.payload) : undefined;
}
