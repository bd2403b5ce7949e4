/**
 * Delivery status only moves forward, whatever order Twilio's callbacks arrive in:
 * queued < sending < sent < delivered < read; failed and undelivered are terminal.
 * Shared by the relay (stores) and the panel (transcript merges): `@wcp/protocol/status-order`.
 */
import type { MessageStatus } from './index.ts';

const RANK: Record<MessageStatus, number> = {
  received: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  undelivered: 6,
  failed: 6,
};

const TERMINAL = new Set<MessageStatus>(['failed', 'undelivered', 'read']);

/** The status to keep after `incoming` is reported for a message now at `current`. */
export function nextStatus(current: MessageStatus, incoming: MessageStatus): MessageStatus {
  if (current === incoming) return current;
  if (TERMINAL.has(current)) {
    // A read receipt proves delivery even if a late "failed" arrives, and vice versa a
    // failure is final: neither moves once reached.
    return current;
  }
  return RANK[incoming] > RANK[current] ? incoming : current;
}

/** Twilio's final word that a message never reached the phone (failed: not sent; undelivered: sent, not delivered). */
export function isNotDelivered(status: MessageStatus): boolean {
  return status === 'failed' || status === 'undelivered';
}

export function isForward(current: MessageStatus, incoming: MessageStatus): boolean {
  return nextStatus(current, incoming) !== current;
}
