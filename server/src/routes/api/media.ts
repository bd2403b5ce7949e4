/**
 * Attachments. Uploads are checked by content (not by name) against WhatsApp's media
 * types and MEDIA_MAX_BYTES before anything is stored. Inbound media is streamed to the
 * agent through the relay, fetched from Twilio with the account's credentials only.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Type } from '@sinclair/typebox';
import { DomainError } from '../../domain/errors.ts';
import { newSecretToken } from '../../domain/ids.ts';
import { checkUpload } from '../../media/validate.ts';
import { servedMedia } from '../../media/disposition.ts';
import { fetchTwilioMedia } from '../../media/twilio-media.ts';
import { ErrorBody, UploadedMedia } from '@wcp/protocol';
import { perAgent } from '../rate-keys.ts';
import { readableConversation, viewerOf } from './access.ts';

export const mediaRoutes: FastifyPluginAsync = async (app) => {
  const { deps } = app.relay;
  const maxBytes = deps.config.mediaMaxBytes;
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 2, parts: 3 } });

  const tooLarge = () =>
    Object.assign(new Error(`The file is larger than the ${(maxBytes / 1024 / 1024).toFixed(1)} MB WhatsApp attachments may be here.`), {
      statusCode: 413,
      code: 'MEDIA_TOO_LARGE',
    });

  app.post(
    '/media',
    {
      schema: {
        tags: ['media'],
        consumes: ['multipart/form-data'],
        response: {
          201: UploadedMedia,
          400: { ...ErrorBody, description: 'invalid_request: not multipart/form-data, no "file" field, or a malformed multipart body.' },
          413: ErrorBody,
          415: ErrorBody,
        },
      },
      // Every upload is kept in the store until it is sent or expires: one a second per agent,
      // sustained, is more than any agent attaches by hand; more is a script filling the disk.
      preHandler: app.rateLimit({ max: 60, timeWindow: '1 minute', keyGenerator: perAgent, groupId: 'upload' }),
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new DomainError('invalid_request', 'Upload the file as multipart/form-data in a field named "file".');
      // A malformed multipart body (no boundary, cut off mid-part) makes busboy throw a
      // plain Error, which used to surface as a 500: it is the client's mistake, a 400.
      const malformed = (error: unknown) => {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge();
        if ((error as { statusCode?: number }).statusCode !== undefined) return error;
        return new DomainError('invalid_request', `The upload is not valid multipart/form-data (${error instanceof Error ? error.message : 'unreadable'}).`);
      };
      const file = await request.file().catch((error: unknown) => {
        throw malformed(error);
      });
      if (!file) throw new DomainError('invalid_request', 'No file was uploaded.');
      let bytes: Buffer;
      try {
        // Answer 413 as soon as the limit is hit, not after the rest of the body has been
        // read and discarded (busboy keeps parsing to the end of the part otherwise).
        const overLimit = new Promise<never>((_resolve, reject) => file.file.once('limit', () => reject(tooLarge())));
        overLimit.catch(() => undefined);
        bytes = await Promise.race([file.toBuffer(), overLimit]);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 413) {
          // Stop reading the upload and close the connection once the answer is out.
          request.raw.unpipe();
          reply.header('connection', 'close');
        }
        throw malformed(error);
      }
      // toBuffer() only notices the limit on a chunk that arrives after it was hit: a file
      // whose chunks fill the limit exactly and then stop (busboy truncates the rest) came
      // back as the first MEDIA_MAX_BYTES bytes and was stored, cut off. Check the flag.
      if (file.file.truncated) throw tooLarge();
      const check = await checkUpload(bytes, { filename: file.filename || null, declaredType: file.mimetype || null, maxBytes });
      if (!check.ok) {
        return reply.code(check.error === 'media_too_large' ? 413 : 415).send({ error: check.error, message: check.message });
      }
      const saved = await deps.store.saveUpload({
        bytes,
        contentType: check.contentType,
        filename: file.filename ? file.filename.slice(0, 200) : null,
        publicToken: newSecretToken(),
        // Not served until a message carries it: queueing opens the link (usecases/public-media-link.ts).
        publicExpiresAt: deps.clock.now(),
        agentId: request.agent.id,
      });
      return reply.code(201).send({ id: saved.id, contentType: saved.contentType, size: saved.size ?? bytes.byteLength, filename: saved.filename });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/media/:id',
    {
      schema: {
        tags: ['media'],
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: {
          // Bytes, not JSON: described under their own content type (a generated client must not parse them).
          200: { description: 'The media bytes, with their content type.', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } },
          422: { ...ErrorBody, description: 'media_url_not_allowed, media_redirect_not_allowed or media_too_large: Twilio’s media was refused.' },
          502: { ...ErrorBody, description: 'media_fetch_failed: Twilio could not be reached or refused the download.' },
        },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const media = await deps.store.getMedia(request.params.id);
      if (!media) throw new DomainError('media_not_found', 'Media not found.');
      if (media.conversationId) await readableConversation(deps.store, media.conversationId, viewer, deps.clock.now());
      else if (media.uploadedBy !== viewer.agentId && !viewer.supervisor) throw new DomainError('media_not_found', 'Media not found.');

      reply.header('x-content-type-options', 'nosniff').header('cache-control', 'private, max-age=3600');
      const serve = (contentType: string) => {
        const { type, disposition } = servedMedia(contentType, media.filename);
        reply.type(type).header('content-disposition', disposition);
      };

      const stored = await deps.store.getMediaBytes(media.id);
      if (stored) {
        serve(media.contentType);
        return reply.send(Buffer.from(stored));
      }
      if (!media.sourceUrl) throw new DomainError('media_not_found', 'Media not found.');

      if (deps.simulator) {
        const bytes = await deps.simulator.mediaBytes(media.sourceUrl);
        if (!bytes) throw new DomainError('media_not_found', 'The simulated phone no longer has this file.');
        serve(media.contentType);
        return reply.send(Buffer.from(bytes));
      }
      const twilio = deps.config.twilio!;
      const fetched = await fetchTwilioMedia(media.sourceUrl, {
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        apiBaseUrl: twilio.apiBaseUrl,
        maxBytes: Math.max(maxBytes, 16 * 1024 * 1024),
      });
      if (!fetched.ok) {
        request.log.warn({ mediaId: media.id, error: fetched.error }, 'could not fetch media from Twilio');
        return reply.code(fetched.error === 'media_fetch_failed' ? 502 : 422).send({ error: fetched.error, message: fetched.message });
      }
      serve(fetched.contentType);
      if (fetched.size !== null) reply.header('content-length', fetched.size);
      return reply.send(Readable.fromWeb(fetched.body as WebReadableStream<Uint8Array>));
    },
  );
};
