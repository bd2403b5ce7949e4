/**
 * The customer phone simulator (simulator mode only): a page and a small JSON API for
 * it. Not part of the agent API and not authenticated — it only exists when the relay
 * has no Twilio account and it listens on 127.0.0.1 by default.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../domain/errors.ts';
import { newSecretToken } from '../domain/ids.ts';
import { checkUpload } from '../media/validate.ts';
import { apiWindowExpiresAt } from '../api-mapping.ts';
import type { CustomerMessage, SimulatedKind } from './simulator.ts';
import { audienceOf } from '../domain/conversation-rules.ts';

const PAGE_DIR = fileURLToPath(new URL('../../public/simulator/', import.meta.url));
const SIMULATED_MEDIA_TTL_MS = 30 * 24 * 3600_000;
/** What the demo's phone can send besides text (simulator.ts SimulatedKind). */
const SimulatedKindSchema = Type.Union([
  Type.Object({
    type: Type.Literal('location'),
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    address: Type.Optional(Type.String({ maxLength: 300 })),
    label: Type.Optional(Type.String({ maxLength: 100 })),
  }),
  Type.Object({ type: Type.Literal('contact'), name: Type.String({ minLength: 1, maxLength: 100 }), phone: Type.String({ pattern: '^\\+[1-9]\\d{6,14}$' }) }),
  Type.Object({ type: Type.Literal('button'), text: Type.String({ minLength: 1, maxLength: 20 }), payload: Type.String({ maxLength: 200 }) }),
  Type.Object({ type: Type.Literal('reaction'), emoji: Type.String({ minLength: 1, maxLength: 8 }) }),
  Type.Object({ type: Type.Literal('unknown'), messageType: Type.String({ pattern: '^[a-z_]{1,30}$' }) }),
]);
const Phone = Type.String({ pattern: '^\\+[1-9]\\d{6,14}$', description: 'E.164' });

export const simulatorRoutes: FastifyPluginAsync = async (app) => {
  const { deps } = app.relay;
  const simulator = deps.simulator!;
  const maxBytes = deps.config.mediaMaxBytes;

  await app.register(fastifyStatic, { root: PAGE_DIR, prefix: '/simulator/', decorateReply: false, index: ['index.html'] });
  app.get('/simulator', { schema: { hide: true } }, (_request, reply) => reply.redirect('/simulator/'));

  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: maxBytes + 1 }, (_request, body, done) => done(null, body));

  app.post<{ Body: { from: string; profileName?: string; body?: string; mediaToken?: string; replyToSid?: string; kind?: SimulatedKind; forwarded?: boolean; referral?: CustomerMessage['referral'] } }>(
    '/simulator/api/messages',
    {
      schema: {
        hide: true,
        body: Type.Object(
          {
            from: Phone,
            profileName: Type.Optional(Type.String({ maxLength: 100 })),
            body: Type.Optional(Type.String({ maxLength: 4096 })),
            mediaToken: Type.Optional(Type.String({ maxLength: 64 })),
            replyToSid: Type.Optional(Type.String({ maxLength: 34 })),
            kind: Type.Optional(SimulatedKindSchema),
            forwarded: Type.Optional(Type.Boolean()),
            referral: Type.Optional(
              Type.Object({ headline: Type.String({ maxLength: 200 }), body: Type.String({ maxLength: 1000 }), sourceUrl: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { from, profileName, body, mediaToken, replyToSid, kind, forwarded, referral } = request.body;
      if (!body && !mediaToken && !kind) throw new DomainError('invalid_request', 'Type a message or attach a file.');
      const result = await simulator.sendFromCustomer({
        from,
        profileName: profileName || null,
        body: body ?? '',
        mediaToken: mediaToken ?? null,
        replyToSid: replyToSid ?? null,
        kind: kind ?? null,
        forwarded: forwarded ?? false,
        referral: referral ?? null,
      });
      return reply.code(result.statusCode === 200 ? 202 : 502).send(result);
    },
  );

  app.post('/simulator/api/media', { schema: { hide: true } }, async (request, reply) => {
    const bytes = request.body;
    if (!Buffer.isBuffer(bytes)) throw new DomainError('invalid_request', 'Send the file as application/octet-stream.');
    const header = request.headers['x-filename'];
    const filename = typeof header === 'string' ? decodedFilename(header) : null;
    const check = await checkUpload(bytes, { filename, declaredType: null, maxBytes });
    if (!check.ok) return reply.code(check.error === 'media_too_large' ? 413 : 415).send({ error: check.error, message: check.message });
    const token = newSecretToken();
    // A customer's file stays on "WhatsApp" long after the window: the simulator's clock can jump days ahead.
    const publicExpiresAt = deps.clock.now() + SIMULATED_MEDIA_TTL_MS;
    await deps.store.saveUpload({ bytes, contentType: check.contentType, filename, publicToken: token, publicExpiresAt, agentId: 'simulator' });
    return reply.code(201).send({ mediaToken: token, contentType: check.contentType });
  });

  app.get<{ Params: { phone: string } }>('/simulator/api/phones/:phone/messages', { schema: { hide: true, params: Type.Object({ phone: Phone }) } }, async (request) => {
    const phone = request.params.phone;
    // Looking at the chat reads it: delivered agent messages get a read receipt.
    await simulator.markRead(phone);
    return { items: await simulator.phoneMessages(phone), clockOffsetMs: simulator.clockOffsetMs, businessPhone: simulator.businessPhone };
  });

  app.get<{ Params: { id: string } }>('/simulator/api/media/:id', { schema: { hide: true } }, async (request, reply) => {
    const media = await deps.store.getMedia(request.params.id);
    if (!media) throw new DomainError('media_not_found', 'Media not found.');
    const bytes = (await deps.store.getMediaBytes(media.id)) ?? (media.sourceUrl ? await simulator.mediaBytes(media.sourceUrl) : null);
    if (!bytes) throw new DomainError('media_not_found', 'Media not found.');
    return reply.header('x-content-type-options', 'nosniff').type(media.contentType).send(Buffer.from(bytes));
  });

  app.get('/simulator/api/clock', { schema: { hide: true } }, async () => ({ offsetMs: simulator.clockOffsetMs, now: new Date(deps.clock.now()).toISOString() }));
  app.post<{ Body: { advanceMs: number } }>(
    '/simulator/api/clock',
    { schema: { hide: true, body: Type.Object({ advanceMs: Type.Integer({ minimum: 1, maximum: 7 * 24 * 3600_000 }) }, { additionalProperties: false }) } },
    async (request) => {
      const offsetMs = simulator.advanceClock(request.body.advanceMs);
      // Panels count windows down on the relay's clock: tell them it moved.
      const serverTime = new Date(deps.clock.now()).toISOString();
      for (const c of await deps.store.listConversations({ agentId: 'simulator', supervisor: true }, null, deps.clock.now())) {
        if (c.state === 'closed') continue;
        await deps.store.appendEvent('window', audienceOf(c), { conversationId: c.id, windowExpiresAt: apiWindowExpiresAt(c), serverTime });
      }
      // Conversations left waiting or in wrap-up may be due to close themselves on the new clock (the closer's own tick is a minute).
      await app.relay.autoCloser.pass();
      app.relay.notify();
      // Offers may have expired on the new clock.
      await app.relay.router.kick();
      return { offsetMs, now: new Date(deps.clock.now()).toISOString() };
    },
  );

};

/** X-Filename is percent-encoded (a header is not UTF-8); one that does not decode is a bad request, not a 500. */
function decodedFilename(header: string): string {
  try {
    return decodeURIComponent(header).slice(0, 200);
  } catch {
    throw new DomainError('invalid_request', 'X-Filename is not a percent-encoded file name.');
  }
}
