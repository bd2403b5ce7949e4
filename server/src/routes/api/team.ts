/** Team work: queues, transfer, assignment, consult, the supervisor's overview (../shared/DESIGN.md "Team work"). */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import { AgentList, AgentRequest, Conversation, ErrorBody, Queue, QueueList, QueueRequest, SupervisorOverview, TransferRequest } from '@wcp/protocol';
import { apiWindowExpiresAt, toApiConversation } from '../../api-mapping.ts';
import { iso, isoOrNull } from '../../domain/clock.ts';
import { DomainError } from '../../domain/errors.ts';
import { offerIsLive, waitingFrom } from '../../domain/conversation-rules.ts';
import { toStoredNumber, toWireNumber } from '../../domain/queues.ts';
import { canTakeWork } from '../../routing/policy.ts';
import type { QueueView } from '../../store/port.ts';
import { viewerOf } from './access.ts';
import { CrmFailureList, CrmRetryRequest, CrmRetryResult } from '@wcp/protocol';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
type IdParams = { id: string };
const Forbidden = { ...ErrorBody, description: 'forbidden: a supervisor-only route.' };
/** The newest failed CRM writes a supervisor is shown; more means something is wrong everywhere. */
const CRM_FAILURES_SHOWN = 200;
const Accepted = Type.Null({ description: 'Done; the agents concerned are told over their event streams.' });

function requireSupervisor(request: FastifyRequest): void {
  if (request.agent.role !== 'supervisor') throw new DomainError('forbidden', 'Only a supervisor may do this.');
}

const toApiQueue = (q: QueueView): Queue => ({ ...q, numbers: q.numbers.map(toWireNumber), longestWaitSince: isoOrNull(q.longestWaitSince) });

export const teamRoutes: FastifyPluginAsync = async (app) => {
  const { deps } = app.relay;
  const tags = ['team'];
  const offerExpiry = () => deps.clock.now() + deps.config.offerTimeoutMs;
  /** A POST on one conversation: its body and its rule-specific answers. */
  const onConversation = <B extends TSchema>(body: B, response: Record<number, unknown>) => ({ schema: { tags, params: IdParams, body, response } });

  // An agent's own queues; with `all`, every queue: an agent transfers to queues it does not work.
  app.get<{ Querystring: { all?: boolean } }>(
    '/queues',
    { schema: { tags, querystring: Type.Object({ all: Type.Optional(Type.Boolean({ description: 'Every queue, not only the agent’s own (transfer targets); of another queue an agent gets its name and counts, not its members or numbers.' })) }), response: { 200: QueueList } } },
    async (request) => ({
      items: (await deps.store.listQueues(viewerOf(request), deps.clock.now(), request.query.all === true)).map(toApiQueue),
    }),
  );

  // Everyone the relay knows, supervisors included: a transfer or consult may name any of them.
  app.get('/agents', { schema: { tags, response: { 200: AgentList } } }, async () => ({
    items: (await deps.store.listAgents(deps.clock.now())).map((a) => ({ id: a.id, name: a.name, presence: a.presence, available: canTakeWork(a) })),
  }));

  app.put<{ Params: IdParams; Body: QueueRequest }>(
    '/queues/:id',
    { schema: { tags, params: Type.Object({ id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }) }), body: QueueRequest, response: { 200: Queue, 403: Forbidden, 409: { ...ErrorBody, description: 'number_in_another_queue: a business number is in another queue.' } } } },
    async (request) => {
      requireSupervisor(request);
      const { name, agentIds, numbers } = request.body;
      const queue = await deps.store.putQueue({ id: request.params.id, name, agentIds, numbers: numbers.map(toStoredNumber) }, deps.clock.now());
      app.relay.notify();
      void app.relay.router.kick(); // members changed
      return toApiQueue(queue);
    },
  );

  app.post<{ Params: IdParams; Body: TransferRequest }>(
    '/conversations/:id/transfer',
    onConversation(TransferRequest, {
      202: Accepted,
      409: { ...ErrorBody, description: 'agent_unavailable (offline or at capacity), conversation_closed, or invalid_transition: in wrap-up, it stays with its agent.' },
      422: { ...ErrorBody, description: 'transfer_to_self.' },
    }),
    async (request, reply) => {
      const { agentId, queueId, note } = request.body;
      if ((agentId === undefined) === (queueId === undefined)) throw new DomainError('invalid_request', 'Transfer to an agent (agentId) or a queue (queueId), one of them.');
      const target = agentId !== undefined ? { agentId, note: note ?? null } : { queueId: queueId!, note: note ?? null };
      await deps.store.transfer(request.params.id, { ...viewerOf(request), agentName: request.agent.name }, target, offerExpiry(), deps.clock.now());
      app.relay.notify();
      void app.relay.router.kick();
      return reply.code(202).send();
    },
  );

  app.post<{ Params: IdParams; Body: AgentRequest }>(
    '/conversations/:id/assign',
    onConversation(AgentRequest, { 200: Conversation, 403: Forbidden, 409: { ...ErrorBody, description: 'agent_unavailable, or invalid_transition: the conversation is not open.' } }),
    async (request) => {
      requireSupervisor(request);
      const c = await deps.store.assign(request.params.id, request.body.agentId, offerExpiry(), deps.clock.now());
      app.relay.notify();
      return toApiConversation(c);
    },
  );

  app.post<{ Params: IdParams; Body: AgentRequest }>(
    '/conversations/:id/consult',
    onConversation(AgentRequest, {
      202: Accepted,
      403: { ...ErrorBody, description: 'forbidden: only the agent holding the conversation invites a consult (a supervisor too); consult_only from a consultant.' },
      409: { ...ErrorBody, description: 'conversation_closed, or agent_unavailable: the colleague is offline.' },
    }),
    async (request, reply) => {
      await deps.store.startConsult(request.params.id, viewerOf(request), request.body.agentId, deps.clock.now());
      app.relay.notify();
      return reply.code(202).send();
    },
  );

  app.delete<{ Params: IdParams }>(
    '/conversations/:id/consult',
    { schema: { tags, params: IdParams, response: { 204: Type.Null({ description: 'The consult ended (the consultant its own; the holder all).' }) } } },
    async (request, reply) => {
      await deps.store.endConsult(request.params.id, viewerOf(request), deps.clock.now());
      app.relay.notify();
      return reply.code(204).send();
    },
  );

  app.get('/supervisor/overview', { schema: { tags, response: { 200: SupervisorOverview, 403: Forbidden } } }, async (request) => {
    requireSupervisor(request);
    const now = deps.clock.now();
    const o = await deps.store.supervisorOverview(now);
    return {
      agents: o.agents.map((a) => ({ id: a.id, name: a.name, presence: a.presence, load: a.load, capacity: a.capacity })),
      queues: o.queues.map(toApiQueue),
      conversations: o.conversations.map((c) => ({
        id: c.id,
        state: c.state,
        agentId: c.assignedAgentId,
        offeredTo: offerIsLive(c, now) ? c.offerAgentId : null,
        queueId: c.queueId,
        customer: { phone: c.customerPhone, profileName: c.profileName, waId: c.waId },
        windowExpiresAt: apiWindowExpiresAt(c),
        sentiment: c.sentiment,
        waitingSince: c.state === 'open' ? iso(waitingFrom(c)) : null,
      })),
      conversationsTotal: o.conversationsTotal,
    };
  });

  app.get('/supervisor/crm-failures', { schema: { tags, response: { 200: CrmFailureList, 403: Forbidden } } }, async (request) => {
    requireSupervisor(request);
    const writes = await deps.store.listFailedCrmWrites(CRM_FAILURES_SHOWN);
    return {
      items: writes.map((w) => ({ conversationId: w.conversationId, attempts: w.attempts, failedAt: iso(w.failedAt ?? 0), error: w.lastError ?? '' })),
    };
  });

  app.post<{ Body: CrmRetryRequest }>(
    '/supervisor/crm-failures/retry',
    {
      schema: { tags, body: CrmRetryRequest, response: { 202: CrmRetryResult, 403: Forbidden } },
      // No body at all is "retry every one listed", as `{}` is (docs/agent-api.md).
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      requireSupervisor(request);
      // The writes listed to supervisors are the ones a Retry can name.
      const retried = await deps.store.retryFailedCrmWrites(request.body.conversationIds ?? null, CRM_FAILURES_SHOWN, deps.clock.now());
      return reply.code(202).send({ retried });
    },
  );
};
