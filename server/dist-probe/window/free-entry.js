/**
 * WhatsApp's free entry point: a conversation that began from a Click-to-WhatsApp ad (or a
 * Facebook Page button) is free for 72 hours from the business's first reply. Pure, like the
 * 24-hour window beside it (policy.ts); it governs pricing, not what may be sent.
 */
export const FREE_ENTRY_MS = 72 * 60 * 60 * 1000;
/** Null unless the conversation began from a referral and the business has replied. */
export function freeEntryExpiresAt(beganFromReferral, firstReplyAt) {
    return beganFromReferral && firstReplyAt !== null ? firstReplyAt + FREE_ENTRY_MS : null;
}
//# sourceMappingURL=free-entry.js.map