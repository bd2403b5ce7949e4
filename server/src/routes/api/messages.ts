/**
 * The transcript and sending. The 24-hour rule is checked here, on the server's clock and
 * the stored inbound times only: outside the window a free-form send is refused with 422
 * and nothing is queued; approved templates are allowed.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { toApiMessage } from '../../api-mapping.ts';
import { DomainError, windowExpired } from '../../domain/errors.ts';
import { ErrorBody, Message, MessagePage, NoteList, Note, NoteRequest, SendMessageRequest, isTemplateSendable, repeatedButtonTitle, whatsappBodyLength, whatsappBodyLimit } from '@wcp/protocol';
import { missingVariables, unsendableVariables, renderTemplate } from '../../services/templates.ts';
import { assertMayMessage } from '../../domain/consent.ts';
import { assertMayReply } from '../../domain/conversation-rules.ts';
import { decideSend } from '../../window/policy.ts';
import { toApiNote } from '../../api-mapping.ts';
import { ownedConversation, readableConversation, viewerOf } from './access.ts';
import type { ConversationRow, Viewer } from '../../store/port.ts';
import { perAgent } from '../rate-keys.ts';
import { rememberSpan } from '../../telemetry/spans.ts';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const messageRoutes: FastifyPluginAsync = async (app) => {
  const { deps } = app.relay;
  const tags = ['messages'];
  // Two messages a second per agent, sustained: more is a stuck client or a script. Sends and
  // retries share it (one group).
  const sendLimit = app.rateLimit({ max: 120, timeWindow: '1 minute', keyGenerator: perAgent, groupId: 'send' });

  app.get<{ Params: { id: string }; Querystring: { before?: string; limit?: number } }>(
    '/conversations/:id/messages',
    {
      schema: {
        tags,
        params: IdParams,
        querystring: Type.Object({
          before: Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: { 200: MessagePage },
      },
    },
    async (request) => {
      await readableConversation(deps.store, request.params.id, viewerOf(request), deps.clock.now());
      const page = await deps.store.listMessages(request.params.id, request.query.before ?? null, request.query.limit ?? 50);
      return { items: page.items.map(toApiMessage), next: page.next };
    },
  );

  /** What a new send must pass, in the order it costs least to ask; the text to store (a template's rendered). */
  async function checkSend(conversationId: string, request: SendMessageRequest, viewer: Viewer): Promise<{ conversation: ConversationRow; text: string }> {
    const { mediaId, template, replyToMessageId, buttons } = request;
    // Spaces alone are no message: WhatsApp would show the customer an empty bubble, or refuse it.
    const body = request.body?.trim() ? request.body : undefined;
    if (!body && !mediaId && !template) throw new DomainError('invalid_request', 'Write a message, attach a file or choose a template.');
    if (template && (body || mediaId)) throw new DomainError('invalid_request', 'A template is sent on its own, without text or attachments.');
    if (buttons && (!body || mediaId || template)) throw new DomainError('invalid_request', 'Quick-reply buttons go under a text reply, without attachments or templates.');
    if (buttons && new Set(buttons.map((b) => b.id)).size !== buttons.length) throw new DomainError('invalid_request', 'Give each button its own id.');
    const repeated = buttons ? repeatedButtonTitle(buttons.map((b) => b.title)) : null;
    if (repeated !== null) throw new DomainError('invalid_request', `Give each button its own title: “${repeated}” is on two.`);
    // Counted as Twilio counts (UTF-16 units, an emoji is two), by the same rule as the panel's counter.
    const length = whatsappBodyLength(body ?? '');
    const limit = whatsappBodyLimit({ media: mediaId !== undefined, buttons: buttons !== undefined });
    if (length > limit) {
      const what = mediaId !== undefined ? 'A caption under a file' : buttons ? 'The text above reply buttons' : 'A WhatsApp message';
      throw new DomainError('body_too_long', `${what} holds at most ${limit} characters; this one has ${length}. Shorten it or send it in parts.`);
    }

    const conversation = await ownedConversation(deps.store, conversationId, viewer, deps.clock.now());
    // Both checked again when queued (use case); here first, so Twilio's Content API is not asked for nothing.
    assertMayReply(conversation);
    assertMayMessage(conversation);
    const decision = decideSend(template ? 'template' : 'freeform', conversation, deps.clock.now());
    if (!decision.allowed) throw windowExpired();

    let text = body ?? '';
    if (template) {
      const known = await app.relay.templates.find(template.contentSid);
      if (!known) throw new DomainError('unknown_template', 'This template does not exist in Twilio; choose another one.');
      if (!isTemplateSendable(known)) throw new DomainError('template_not_approved', `WhatsApp has not approved this template (status: ${known.status}); only approved templates can be sent.`);
      const missing = missingVariables(known, template.variables);
      if (missing.length) throw new DomainError('invalid_request', `Fill in the template's variables: ${missing.join(', ')}.`);
      const unsendable = unsendableVariables(known, template.variables);
      if (unsendable.length) throw new DomainError('invalid_request', `WhatsApp refuses template values with line breaks, tabs or more than four spaces in a row: ${unsendable.join(', ')}.`);
      text = renderTemplate(known, template.variables);
    }
    if (replyToMessageId) {
      const quoted = await deps.store.getMessage(replyToMessageId);
      if (!quoted || quoted.conversationId !== conversation.id) throw new DomainError('invalid_request', 'The message you reply to is not in this conversation.');
    }
    return { conversation, text };
  }

  app.post<{ Params: { id: string }; Body: SendMessageRequest }>(
    '/conversations/:id/messages',
    {
      schema: {
        tags,
        params: IdParams,
        body: SendMessageRequest,
        response: {
          202: Message,
          400: {
            ...ErrorBody,
            description:
              "invalid_request: the body does not match its schema; or no text (spaces alone are none), file or template; a template with text or a file; buttons without text, beside a file or template, or two with one id or one title; a template's variables missing or not sendable; a quoted message from another conversation.",
          },
          404: {
            ...ErrorBody,
            description: 'not_found: no such conversation, or not one this agent may see; media_not_found: the attachment is not one of your uploads, upload it again.',
          },
          409: {
            ...ErrorBody,
            description: 'invalid_transition: the conversation is closed, in wrap-up (the customer\'s next message opens a new one), or not accepted yet; media_already_sent: the upload was sent in another conversation, upload the file again.',
          },
          422: { ...ErrorBody, description: 'window_expired, opted_out, body_too_long, unknown_template or template_not_approved.' },
          502: { ...ErrorBody, description: "templates_unavailable: a template send while Twilio's Content API fails and no earlier list is held." },
        },
      },
      preHandler: sendLimit,
    },
    async (request, reply) => {
      const { mediaId, template, replyToMessageId, clientId, buttons } = request.body;
      let checked: { conversation: ConversationRow; text: string };
      try {
        checked = await checkSend(request.params.id, request.body, viewerOf(request));
      } catch (error) {
        // The panel's outbox posts a send again when it did not hear the answer (a dropped
        // connection, a reload). A send the relay already has is answered as the first time,
        // whatever would refuse a new one now — the window closed, the conversation wrapped up:
        // the customer got it. Looked up only on a refusal, so a new send pays nothing for it.
        // (queueOutbound checks again, for a resend racing its original.)
        const first = clientId && error instanceof DomainError ? await deps.store.findClientMessage(request.agent.id, clientId) : null;
        if (first && first.conversationId === request.params.id) return reply.code(202).send(toApiMessage(first));
        throw error;
      }
      const { conversation, text } = checked;

      const outbox = app.relay.outbox;
      const { message, claimed, events } = await deps.store.queueOutbound({
        conversationId: conversation.id,
        agentId: request.agent.id,
        body: text,
        mediaId: mediaId ?? null,
        template: template ?? null,
        replyToId: replyToMessageId ?? null,
        clientId: clientId ?? null,
        buttons: buttons ?? null,
        sender: conversation.businessPhone,
        now: deps.clock.now(),
        // Claimed in the same transaction when the sender's slot allows, and sent from here at once.
        claimForSending: outbox.running,
      });
      rememberSpan(message.id);
      // Sent from this process at once (in the loop's next turn, after this answer is written).
      if (claimed.length) outbox.sendClaimed(claimed);
      // Not claimed (the sender's slots are a second ahead, or no worker runs here): a worker claims it.
      else deps.bus.publish('outbox');
      // As for inbound messages: straight to this process's streams when the store says which events it wrote.
      if (!(events && app.relay.hub.offer(events))) app.relay.notify();
      return reply.code(202).send(toApiMessage(message));
    },
  );

  app.post<{ Params: { id: string; messageId: string } }>(
    '/conversations/:id/messages/:messageId/retry',
    {
      schema: {
        tags,
        params: Type.Object({ id: Type.String({ maxLength: 64 }), messageId: Type.String({ maxLength: 64 }) }),
        response: {
          202: Message,
          409: { ...ErrorBody, description: 'invalid_transition: the conversation is in wrap-up or closed; not_retryable: only a message that failed before reaching WhatsApp is retried.' },
          422: { ...ErrorBody, description: 'window_expired: a free-form message outside the 24-hour window; opted_out: the customer has opted out.' },
        },
      },
      // A retry is a send: it counts against the same limit (else a loop of retries went past it).
      preHandler: sendLimit,
    },
    async (request, reply) => {
      const conversation = await ownedConversation(deps.store, request.params.id, viewerOf(request), deps.clock.now());
      const original = await deps.store.getMessage(request.params.messageId);
      if (!original || original.conversationId !== conversation.id) throw new DomainError('not_found', 'Message not found.');
      // A retried free-form message is still bound by the window.
      const kind = original.template ? 'template' : 'freeform';
      if (!decideSend(kind, conversation, deps.clock.now()).allowed) throw windowExpired();
      const message = await deps.store.requeueOutbound(original.id, deps.clock.now());
      deps.bus.publish('outbox');
      app.relay.notify();
      return reply.code(202).send(toApiMessage(message));
    },
  );

  app.get<{ Params: { id: string } }>('/conversations/:id/notes', { schema: { tags: ['notes'], params: IdParams, response: { 200: NoteList } } }, async (request) => {
    await readableConversation(deps.store, request.params.id, viewerOf(request), deps.clock.now());
    return { items: (await deps.store.listNotes(request.params.id)).map(toApiNote) };
  });

  app.post<{ Params: { id: string }; Body: NoteRequest }>(
    '/conversations/:id/notes',
    {
      schema: { tags: ['notes'], params: IdParams, body: NoteRequest, response: { 201: Note } },
      // As sends and uploads: a script (or a consultant's) cannot fill the store and every reader's notes list.
      preHandler: app.rateLimit({ max: 60, timeWindow: '1 minute', keyGenerator: perAgent, groupId: 'note' }),
    },
    async (request, reply) => {
      const note = await deps.store.addNote(request.params.id, { ...viewerOf(request), agentName: request.agent.name }, request.body.body, deps.clock.now());
      app.relay.notify();
      return reply.code(201).send(toApiNote(note));
    },
  );
};
