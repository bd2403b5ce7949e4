/** WhatsApp beyond messages: the typing indicator and the customer's consent log. */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ConsentLog } from '@wcp/protocol';
import { iso } from '../../domain/clock.ts';
import { errorMessage } from '../../domain/errors.ts';
import { TypingThrottle } from '@wcp/protocol/typing';
import { isReplyWindowOpen } from '../../window/policy.ts';
import { ownedConversation, readableConversation, viewerOf } from './access.ts';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const whatsappRoutes: FastifyPluginAsync = async (app) => {
  const { deps } = app.relay;
  const typing = new TypingThrottle();

  app.post<{ Params: { id: string } }>(
    '/conversations/:id/typing',
    {
      schema: {
        tags: ['messages'],
        params: IdParams,
        response: { 204: Type.Null({ description: "Noted. At most every 20 s per conversation the relay shows WhatsApp's typing indicator on the customer's latest message, which also marks it read." }) },
      },
    },
    async (request, reply) => {
      const conversation = await ownedConversation(deps.store, request.params.id, viewerOf(request), deps.clock.now());
      const now = deps.clock.now();
      // Best effort: nothing to show outside the window or to an opted-out customer, and a refusal never bothers the agent.
      if (!conversation.optedOut && isReplyWindowOpen(conversation, now) && typing.take(conversation.id, now)) {
        const latest = await deps.store.latestInbound(conversation.id);
        if (latest?.twilioSid) {
          await deps.transport.sendTypingIndicator(latest.twilioSid).catch((err: unknown) => {
            request.log.warn({ conversationId: conversation.id, err: errorMessage(err) }, 'Twilio refused the typing indicator');
          });
        }
      }
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string } }>(
    '/conversations/:id/consent',
    { schema: { tags: ['conversations'], params: IdParams, response: { 200: ConsentLog } } },
    async (request) => {
      const c = await readableConversation(deps.store, request.params.id, viewerOf(request), deps.clock.now());
      const log = await deps.store.consentLog(c.customerPhone, c.businessPhone);
      return { items: log.map((e) => ({ optedOut: e.optedOut, cause: e.cause, messageId: e.messageId, createdAt: iso(e.createdAt) })) };
    },
  );
};
