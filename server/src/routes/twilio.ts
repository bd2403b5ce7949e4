/**
 * Twilio's webhooks. The signature is checked against PUBLIC_URL + path + query before
 * anything touches the store; the message is written durably, then acknowledged.
 */
import type { FastifyPluginAsync, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { parse as parseQuery } from 'node:querystring';
import { maskPhone } from '../domain/phone.ts';
import { twilioCodeLabel } from '../metrics/metrics.ts';
import { scoreMessage } from '../sentiment/score.ts';
import type { MessageContact } from '@wcp/protocol';
import { readInboundMedia } from '../media/inbound-bytes.ts';
import { parseInboundMessage, parseStatusCallback, type InboundMessage, type Parsed } from '../twilio/inbound.ts';
import { inboundContent, isVCard } from '../twilio/whatsapp-content.ts';
import { publicUrlFor, verifyTwilioSignature, type WebhookParams } from '../twilio/signature.ts';
import type { StoredEvent } from '../store/port.ts';

/** A contact card is a few kilobytes; more is not one. */
const MAX_VCARD_BYTES = 256 * 1024;
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

interface RawBody {
  raw: string;
  params: WebhookParams;
}

export const twilioWebhooks: FastifyPluginAsync = async (app) => {
  // Keep the raw body (JSON webhooks are signed through its SHA-256) and repeated keys.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
    const raw = String(body);
    done(null, { raw, params: parseQuery(raw) as WebhookParams } satisfies RawBody);
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
    const raw = String(body);
    try {
      const parsed: unknown = JSON.parse(raw);
      const params = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as WebhookParams) : {};
      done(null, { raw, params } satisfies RawBody);
    } catch {
      done(Object.assign(new Error('The body is not valid JSON.'), { statusCode: 400, code: 'INVALID_REQUEST' }), undefined);
    }
  });

  const { deps, metrics } = app.relay;
  // Webhook answers are TwiML read by Twilio, never rendered by a browser: browser security
  // headers mean nothing there (routes/security-headers.ts).
  const webhookRoute = { schema: { hide: true }, config: { securityHeaders: false } } as const;

  function signed(request: FastifyRequest): RawBody | null {
    const body = (request.body ?? { raw: '', params: {} }) as RawBody;
    const header = request.headers['x-twilio-signature'];
    const ok = verifyTwilioSignature({
      authToken: deps.webhookAuthToken,
      url: publicUrlFor(deps.config.publicUrl, request.url),
      params: body.params,
      signature: Array.isArray(header) ? header[0] : header,
      rawBody: body.raw,
      contentType: request.headers['content-type'],
    });
    if (!ok) {
      request.log.warn({ route: request.routeOptions.url, hasSignature: Boolean(header) }, 'refused a webhook with a wrong or missing Twilio signature');
      return null;
    }
    return body;
  }

  /**
   * Every webhook's way in: timed, signature checked before anything else, counted, parsed
   * (a malformed one is a 400 Twilio shows in its debugger), handled, answered with empty TwiML.
   */
  function webhook<T>(kind: 'inbound' | 'status', parse: (params: WebhookParams) => Parsed<T>, handle: (value: T, request: FastifyRequest) => Promise<void>): RouteHandlerMethod {
    return async (request, reply) => {
      const timer = metrics.webhookDuration.startTimer();
      const body = signed(request);
      if (!body) return reply.code(403).send({ error: 'invalid_signature', message: 'The X-Twilio-Signature header does not match this request.' });
      metrics.webhooksReceived.inc({ kind });
      const parsed = parse(body.params);
      if (!parsed.ok) return reply.code(400).send({ error: 'invalid_webhook', message: parsed.reason });
      await handle(parsed.value, request);
      timer();
      return reply.code(200).type('text/xml').send(EMPTY_TWIML);
    };
  }

  /**
   * The cards of shared contacts (text/vcard attachments: WhatsApp sends one per contact when a
   * customer shares several), numbers read in the customer's country; null when none is attached.
   * A card that cannot be fetched is left out; the others are still read.
   */
  async function sharedContacts(m: InboundMessage): Promise<MessageContact[] | null> {
    const cards = m.media.filter((x) => isVCard(x.contentType));
    if (cards.length === 0) return null;
    const files = await Promise.all(cards.map((card) => readInboundMedia(deps, card.url, MAX_VCARD_BYTES)));
    const decoder = new TextDecoder();
    // One vCard stream may hold many cards (RFC 6350 section 3.3): read the files as one.
    const text = files.flatMap((bytes) => (bytes ? [decoder.decode(bytes)] : [])).join('\r\n');
    if (!text) return [];
    // Loaded with the first shared contact: libphonenumber's metadata is ~2 MB of heap that a
    // relay which never receives a contact card should not carry (test/bench/README.md, RSS).
    const { parseSharedVCards } = await import('../twilio/vcard.ts');
    return parseSharedVCards(text, m.from);
  }

  /**
   * What a webhook changed, to the agents' streams as soon as it is committed, while the store
   * makes it durable (Twilio is answered after that): handed straight to this process's streams
   * when the store says which events it wrote; otherwise (or on another instance) the hub is
   * woken to read them.
   */
  function toStreams(changed: { events?: StoredEvent[] | undefined }): void {
    if (!(changed.events && app.relay.hub.offer(changed.events))) app.relay.notify();
  }

  /**
   * The conversation the customer wrote to was waiting for them: active again. The message is
   * stored whatever happens here, so a failure is logged, not answered to Twilio (a redelivery
   * would be a duplicate and change nothing).
   */
  async function resume(conversationId: string, request: FastifyRequest): Promise<void> {
    try {
      await deps.store.resumeWaiting(conversationId, deps.clock.now());
      app.relay.notify();
    } catch (error) {
      request.log.error({ err: error, conversationId }, 'a waiting conversation the customer wrote to stayed waiting');
    }
  }

  /**
   * The customer is opted out: their message may end a block WhatsApp reported (63014). As with
   * resume, the message is stored whatever happens here: a failure is logged, and a redelivery
   * asks again.
   */
  async function reEngage(conversationId: string, messageId: string, request: FastifyRequest): Promise<void> {
    try {
      if (await deps.store.reEngage(conversationId, messageId, deps.clock.now())) app.relay.notify();
    } catch (error) {
      request.log.error({ err: error, conversationId }, 'a customer who wrote after blocking the business stayed opted out');
    }
  }

  app.post('/twilio/inbound', webhookRoute, webhook('inbound', parseInboundMessage, async (m, request) => {
    const { body: text, whatsapp } = inboundContent(m, await sharedContacts(m));
    const result = await deps.store.recordInboundReceipt({
      messageSid: m.messageSid,
      from: m.from,
      to: m.to,
      body: text,
      profileName: m.profileName,
      waId: m.waId,
      media: m.media,
      originalRepliedMessageSid: m.originalRepliedMessageSid,
      // The customer's own words only (a tapped button's text is theirs; a placeholder is not).
      sentiment: scoreMessage(m.body || m.buttonText || ''),
      whatsapp,
      referral: m.referral,
      receivedAt: deps.clock.now(),
    }, (receipt) => {
      if (!receipt.duplicate) toStreams(receipt);
    });
    // A redelivery too: the relay may have stopped after storing the message, before this.
    if (result.reEngages) await reEngage(result.conversationId, result.messageId, request);
    if (!result.duplicate) {
      if (result.resumes) await resume(result.conversationId, request);
      if (result.opened) {
        void app.relay.router.kick();
        // The queue's counts changed: told in a unit of its own, coalesced (routing/queue-announcer.ts).
        app.relay.queues.queueChanged(result.queueId);
      }
      request.logFields = { stored: 'inbound message', conversationId: result.conversationId, customer: maskPhone(m.from), media: m.media.length };
    }
  }));

  app.post('/twilio/status', webhookRoute, webhook('status', parseStatusCallback, async (update, request) => {
    const messageId = (request.query as Record<string, unknown>).messageId;
    await deps.store.applyStatus({
      messageSid: update.messageSid,
      messageId: typeof messageId === 'string' ? messageId : null,
      status: update.status,
      errorCode: update.errorCode,
      errorMessage: update.errorMessage,
      now: deps.clock.now(),
    }, (result) => {
      if (result.applied) toStreams(result);
    });
    if (update.errorCode) metrics.twilioErrors.inc({ code: twilioCodeLabel(update.errorCode) });
  }));
};
