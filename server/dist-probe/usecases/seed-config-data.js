export function seedConfigData(db, data) {
    return db.transaction(async (tx) => {
        for (const [position, item] of data.quickReplies.entries())
            await tx.insertConfig('quick_reply', item.id, position, item);
        for (const [position, item] of data.scripts.entries())
            await tx.insertConfig('script', item.id, position, item);
        for (const [position, item] of data.templates.entries())
            await tx.insertConfig('template', item.contentSid, position, item);
    });
}
//# sourceMappingURL=seed-config-data.js.map