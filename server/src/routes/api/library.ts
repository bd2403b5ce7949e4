/** What agents draw on: quick replies, agent scripts, approved templates, transcript search. */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { iso } from '../../domain/clock.ts';
import { AgentScript, DispositionList, ErrorBody, QuickReply, SearchHit, TemplateList } from '@wcp/protocol';
import { DISPOSITIONS } from '../../domain/dispositions.ts';
import { viewerOf } from './access.ts';
import { perAgent } from '../rate-keys.ts';

const List = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ items: Type.Array(item) });

export const libraryRoutes: FastifyPluginAsync = async (app) => {
  const { deps } = app.relay;
  const tags = ['library'];

  app.get('/quick-replies', { schema: { tags, response: { 200: List(QuickReply) } } }, async () => ({ items: await deps.store.listQuickReplies() }));
  app.get('/scripts', { schema: { tags, response: { 200: List(AgentScript) } } }, async () => ({ items: await deps.store.listScripts() }));
  app.get('/dispositions', { schema: { tags, response: { 200: DispositionList } } }, async () => ({ items: DISPOSITIONS }));
  app.get(
    '/templates',
    { schema: { tags, response: { 200: TemplateList, 502: { ...ErrorBody, description: "templates_unavailable: Twilio's Content API failed and no earlier list is held." } } } },
    () => app.relay.templates.list(),
  );

  app.get<{ Querystring: { q: string } }>(
    '/search',
    {
      schema: {
        tags,
        description: 'Transcript search: messages containing every word of `q` (as prefixes, accents ignored; a word in Chinese or Japanese as its characters side by side, one in Thai, Lao, Khmer or Myanmar as its dictionary words side by side), newest first, at most 50, in the conversations the agent may see. 429 past 60 searches a minute per agent.',
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: List(SearchHit) },
      },
      preHandler: app.rateLimit({ max: 60, timeWindow: '1 minute', keyGenerator: perAgent, groupId: 'search' }),
    },
    async (request) => {
      const rows = await deps.store.searchMessages(viewerOf(request), request.query.q, 50);
      return {
        items: rows.map((r) => ({
          conversationId: r.conversationId,
          messageId: r.messageId,
          direction: r.direction,
          snippet: r.snippet,
          createdAt: iso(r.createdAt),
          customer: { phone: r.conversation.customerPhone, profileName: r.conversation.profileName, waId: r.conversation.waId },
          disposition: r.conversation.disposition,
          summary: r.conversation.summary,
        })),
      };
    },
  );
};
