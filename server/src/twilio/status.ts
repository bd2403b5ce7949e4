/**
 * Twilio's Message status values, folded into ours. Twilio has a few the panel does
 * not distinguish: `accepted` and `scheduled` are still waiting to go out, and a
 * `canceled` message will never be delivered.
 */
import type { MessageStatus } from '@wcp/protocol';

export type OutboundStatus = Exclude<MessageStatus, 'received'>;

const OUTBOUND_STATUS: Readonly<Record<string, OutboundStatus>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'undelivered',
  canceled: 'failed',
};

/** null when the value is not an outbound status Twilio sends (e.g. `received`, or junk). */
export function outboundStatusFromTwilio(twilioStatus: string): OutboundStatus | null {
  return Object.hasOwn(OUTBOUND_STATUS, twilioStatus) ? (OUTBOUND_STATUS[twilioStatus] ?? null) : null;
}
