export function expireOffers(db, now) {
    return db.transaction(async (tx) => {
        // Locked: after a concurrent accept or expiry commits the row is read again, so an
        // offer is withdrawn once, by one instance.
        const lapsed = await tx.listLapsedOffers(now);
        for (const c of lapsed) {
            await tx.recordDecline(c.id, c.offerAgentId, now);
            await tx.updateConversation(c.id, { offerAgentId: null, offerExpiresAt: null }, now);
            tx.emit('offer_withdrawn', c.offerAgentId, { conversationId: c.id, reason: 'expired' });
        }
        return lapsed.map((c) => c.id);
    });
}
//# sourceMappingURL=expire-offers.js.map