/**
 * An inbound WhatsApp message as the relay's store takes it (`InboundRecord`,
 * server/src/store/port.ts), for the bench's seeding and store-level probes: a plain text
 * message, with what a webhook would leave empty left empty. Plain JavaScript so that the `.mjs`
 * tools, which run under node without tsx, share it with the `.ts` scenarios.
 *
 * @param {{ messageSid: string, from: string, to: string, body: string, profileName?: string | null,
 *   waId?: string | null, sentiment?: { score: number, comparative: number, tokens: number } | null,
 *   receivedAt?: number }} message
 */
export function inboundRecord({ messageSid, from, to, body, profileName = 'Bench', waId = from.replace(/^\+/, ''), sentiment = null, receivedAt = Date.now() }) {
  return { messageSid, from, to, body, profileName, waId, media: [], originalRepliedMessageSid: null, sentiment, whatsapp: null, referral: null, receivedAt };
}
