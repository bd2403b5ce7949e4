export const publicMediaUrl = (publicUrl, token) => `${publicUrl}/media/${token}`;
export const publicMediaRoutes = async (app) => {
    app.get('/media/:token', { schema: { hide: true } }, async (request, reply) => {
        const { store, clock } = app.relay.deps;
        const media = await store.getMediaByPublicToken(request.params.token, clock.now());
        const bytes = media && (await store.getMediaBytes(media.id));
        if (!media || !bytes)
            return reply.code(404).send({ error: 'not_found', message: 'This media link does not exist or has expired.' });
        return reply
            .header('cache-control', 'private, max-age=300')
            .header('x-content-type-options', 'nosniff')
            .header('content-disposition', media.filename ? `inline; filename="${media.filename.replace(/[^\w.-]/g, '_')}"` : 'inline')
            .type(media.contentType)
            .send(Buffer.from(bytes));
    });
};
//# sourceMappingURL=public-media.js.map