/**
 * Media the agent attached, served to Twilio (which fetches MediaUrl without our
 * credentials) at an unguessable URL that expires.
 */
import type { FastifyPluginAsync } from 'fastify';
import { inlineDisposition } from '../media/disposition.ts';

export const publicMediaUrl = (publicUrl: string, token: string): string => `${publicUrl}/media/${token}`;

export const publicMediaRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { token: string } }>('/media/:token', { schema: { hide: true } }, async (request, reply) => {
    const { store, clock } = app.relay.deps;
    const media = await store.getMediaByPublicToken(request.params.token, clock.now());
    const bytes = media && (await store.getMediaBytes(media.id));
    if (!media || !bytes) return reply.code(404).send({ error: 'not_found', message: 'This media link does not exist or has expired.' });
    return reply
      .header('cache-control', 'private, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', inlineDisposition(media.filename))
      .type(media.contentType)
      .send(Buffer.from(bytes));
  });
};
