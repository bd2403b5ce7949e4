/**
 * A message's delivery status moves forward only (@wcp/protocol/status-order), and it
 * carries Twilio's error code and text only once it failed. A failure that says the customer
 * opted out (21610, 63014) records it; one that says WhatsApp refused the reply as outside the
 * 24-hour window (63016) closes the window there. A reply Twilio reports taken may open an ad
 * conversation's free entry point (open-free-entry.ts).
 */
import type { MessageStatus } from '@wcp/protocol';
import { isNotDelivered, nextStatus } from '@wcp/protocol/status-order';
import { consentChangeOfError } from '../domain/consent.ts';
import { listenersOf } from '../domain/conversation-rules.ts';
import type { MessageRow, StoredEvent } from '../store/port.ts';
import type { Tx } from '../store/tx.ts';
import { apiWindowExpiresAt } from '../api-mapping.ts';
import { agentErrorOf, closesWindow } from '../twilio/errors.ts';
import { closeWindowAt } from '../window/policy.ts';
import { openFreeEntry } from './open-free-entry.ts';
import { recordConsent } from './record-consent.ts';

/**
 * Moves the message's status forward and tells its listeners; null when `incoming` is not
 * forward (and names no missing error), else the events written.
 * The caller holds the message's row lock.
 */
export async function advanceStatus(
  tx: Tx,
  message: MessageRow,
  incoming: MessageStatus,
  errorCode: number | null,
  errorMessage: string | null,
  now: number,
): Promise<StoredEvent[] | null> {
  const status = nextStatus(message.status, incoming);
  const moved = status !== message.status;
  const failed = isNotDelivered(status);
  // Twilio may name a failure's error only in a later report of the same status (a send found
  // undelivered by the in-doubt check, then its callback): that fills in the missing error.
  // An error already recorded is never replaced.
  const namesError = failed && incoming === status && message.errorCode === null && errorCode !== null;
  if (!moved && !namesError) return null;
  const code = failed ? (message.errorCode ?? errorCode) : message.errorCode;
  const text = failed && message.errorCode === null ? (errorMessage ?? message.errorMessage) : message.errorMessage;
  await tx.updateMessageStatus(message.id, status, code, text);
  let conversation = (await tx.getConversation(message.conversationId))!;
  const error = failed && code !== null ? { error: agentErrorOf(code) } : {};
  const data = { conversationId: conversation.id, messageId: message.id, status, errorCode: code, errorMessage: text, ...error };
  const events: StoredEvent[] = listenersOf(conversation).map((agentId) => tx.emit('status', agentId, data));
  // WhatsApp's clock, not ours, ends the window: the panel shows it closed and sends are refused.
  const windowClosedAt = failed && closesWindow(code) ? closeWindowAt(conversation, { queuedAt: message.createdAt }, now) : null;
  if (windowClosedAt !== null) {
    conversation = await tx.updateConversation(conversation.id, { windowClosedAt }, now);
    const window = { conversationId: conversation.id, windowExpiresAt: apiWindowExpiresAt(conversation) };
    events.push(...listenersOf(conversation).map((agentId) => tx.emit('window', agentId, window)));
  }
  // Twilio 21610 or 63014: the customer opted out; every later send is refused.
  const consent = failed ? consentChangeOfError(code) : null;
  if (consent) events.push(...(await recordConsent(tx, conversation, consent, message.id, now)).events);
  events.push(...(await openFreeEntry(tx, conversation, message, status)));
  return events;
}
