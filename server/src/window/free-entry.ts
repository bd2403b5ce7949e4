/**
 * WhatsApp's free entry point: a conversation that began from a Click-to-WhatsApp ad (or a
 * Facebook Page button) is free for 72 hours from the business's first reply. Pure, like the
 * 24-hour window beside it (policy.ts); it governs pricing, not what may be sent.
 */
import type { MessageStatus } from '@wcp/protocol';
import { isNotDelivered } from '@wcp/protocol/status-order';
import { isWindowOpen, windowExpiresAt } from './policy.ts';

export const FREE_ENTRY_MS = 72 * 60 * 60 * 1000;

/**
 * When the ad's message arrived; null: the conversation did not begin from one. The store keeps a
 * referral only from the message that opens the conversation, so it arrived when the conversation began.
 */
export function referralArrivedAt(conversation: { referral: unknown; createdAt: number }): number | null {
  return conversation.referral ? conversation.createdAt : null;
}

/** Null unless the conversation began from a referral and the business has replied. */
export function freeEntryExpiresAt(beganFromReferral: boolean, firstReplyAt: number | null): number | null {
  return beganFromReferral && firstReplyAt !== null ? firstReplyAt + FREE_ENTRY_MS : null;
}

/**
 * Until when a reply can still open the free entry point: the close of the ad message's 24-hour
 * window (see freeEntryOpenedAt). Null once a reply opened it, or without a referral. After this
 * moment it stays set (in the past): the panel, on the relay's clock, stops promising the 72 hours.
 */
export function freeEntryReplyBy(referralAt: number | null, firstReplyAt: number | null): number | null {
  return referralAt !== null && firstReplyAt === null ? windowExpiresAt(referralAt) : null;
}

/**
 * When a reply opens the free entry point, the time its 72 hours run from; null when it opens
 * none. Meta opens it only for a reply WhatsApp got within the 24-hour customer-service window
 * of the ad's message: a reply queued after that window closed (a template at hour 30), or one
 * Twilio or WhatsApp refused, leaves the conversation an ordinary one. So this is asked with
 * what Twilio reported for the reply (its answer to the send, or a status callback), never when
 * the agent queues it.
 *
 * `referralAt`: when the ad's message arrived (null: the conversation did not begin from one).
 */
export function freeEntryOpenedAt(referralAt: number | null, reply: { queuedAt: number; reported: MessageStatus }): number | null {
  if (referralAt === null || !isWindowOpen(referralAt, reply.queuedAt)) return null;
  return isNotDelivered(reply.reported) ? null : reply.queuedAt;
}
