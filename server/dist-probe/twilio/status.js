const OUTBOUND_STATUS = {
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
export function outboundStatusFromTwilio(twilioStatus) {
    return Object.hasOwn(OUTBOUND_STATUS, twilioStatus) ? (OUTBOUND_STATUS[twilioStatus] ?? null) : null;
}
//# sourceMappingURL=status.js.map