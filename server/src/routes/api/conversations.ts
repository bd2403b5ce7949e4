import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { toApiConversation } from '../../api-mapping.ts';
import { DomainError } from '../../domain/errors.ts';
import { isE164 } from '../../domain/phone.ts';
import { Conversation, ConversationList, ConversationState, ErrorBody, RecordRef, StateRequest } from '@wcp/protocol';
import { readableConversation, viewerOf } from './access.ts';

const Conflict = { ...ErrorBody, description: 'invalid_transition, offer_not_yours or offer_expired: the rules refuse it now.' };
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
type IdParams = { id: string };

export const conversationRoutes: FastifyPluginAsync = async (app) => {
  const { deps } = app.relay;
  const tags = ['conversations'];

  app.get<{ Querystring: { state?: ConversationState } }>(
    '/conversations',
    { schema: { tags, querystring: Type.Object({ state: Type.Optional(ConversationState) }), response: { 200: ConversationList } } },
    async (request) => {
      const rows = await deps.store.listConversations(viewerOf(request), request.query.state ?? null, deps.clock.now());
      return { items: rows.map(toApiConversation) };
    },
  );

  app.get<{ Params: IdParams }>('/conversations/:id', { schema: { tags, params: IdParams, response: { 200: Conversation } } }, async (request) =>
    toApiConversation(await readableConversation(deps.store, request.params.id, viewerOf(request), deps.clock.now())),
  );

  app.post<{ Params: IdParams }>('/conversations/:id/accept', { schema: { tags, params: IdParams, response: { 200: Conversation, 409: Conflict } } }, async (request) => {
    const c = await deps.store.acceptOffer(request.params.id, request.agent.id, deps.clock.now());
    app.relay.notify();
    app.relay.queues.queueChanged(c.queueId);
    return toApiConversation(c);
  });

  app.post<{ Params: IdParams }>(
    '/conversations/:id/reject',
    { schema: { tags, params: IdParams, response: { 204: Type.Null({ description: 'Rejected; the conversation is offered to another agent.' }), 409: Conflict } } },
    async (request, reply) => {
      await deps.store.rejectOffer(request.params.id, request.agent.id, deps.clock.now());
      app.relay.notify();
      void app.relay.router.kick();
      return reply.code(204).send();
    },
  );

  app.put<{ Params: IdParams; Body: StateRequest }>(
    '/conversations/:id/state',
    {
      schema: {
        tags,
        params: IdParams,
        body: StateRequest,
        response: {
          200: Conversation,
          409: { ...ErrorBody, description: 'invalid_transition: the state table refuses it; conversation_closed: closed already, with another disposition or summary.' },
          422: { ...ErrorBody, description: 'disposition_required or unknown_disposition: closing needs a disposition from the list.' },
        },
      },
    },
    async (request) => {
      // The agent it is offered to is told to accept it (conversation-rules.ts actionable); to
      // anyone else another agent's conversation is a 404, as on every route.
      const { state, disposition, summary } = request.body;
      const wrapUp = state === 'closed' ? { disposition: disposition ?? null, summary: summary ?? null } : undefined;
      const c = await deps.store.changeState(request.params.id, viewerOf(request), state, deps.clock.now(), wrapUp, deps.config.wrapUpCloseAfterMs);
      app.relay.notify();
      if (c.state === 'closed') void app.relay.router.kick(); // capacity freed
      return toApiConversation(c);
    },
  );

  app.put<{ Params: IdParams; Body: RecordRef }>(
    '/conversations/:id/link',
    { schema: { tags, params: IdParams, body: RecordRef, response: { 200: Conversation } } },
    async (request) => {
      const c = await deps.store.setLinkedRecord(request.params.id, viewerOf(request), request.body, deps.clock.now());
      app.relay.notify();
      return toApiConversation(c);
    },
  );

  app.delete<{ Params: IdParams }>('/conversations/:id/link', { schema: { tags, params: IdParams, response: { 200: Conversation } } }, async (request) => {
    const c = await deps.store.setLinkedRecord(request.params.id, viewerOf(request), null, deps.clock.now());
    app.relay.notify();
    return toApiConversation(c);
  });

  app.get<{ Params: { phone: string } }>(
    '/customers/:phone/conversations',
    { schema: { tags, params: Type.Object({ phone: Type.String({ maxLength: 20 }) }), response: { 200: ConversationList } } },
    async (request) => {
      if (!isE164(request.params.phone)) throw new DomainError('invalid_request', 'The phone number must be in E.164 form, e.g. +14155550100.');
      const rows = await deps.store.listCustomerConversations(viewerOf(request), request.params.phone);
      return { items: rows.map(toApiConversation) };
    },
  );
};
