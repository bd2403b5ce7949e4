/**
 * The baseline: a bare Fastify server in its own process, doing no work the relay does.
 * - POST /twilio/inbound: parses the form body and answers the same empty TwiML (no signature check, no store).
 * - GET /api/v1/events: an SSE stream; a webhook whose Body starts with "lat:" is written straight
 *   to one stream (customers are spread over the open streams round-robin), the floor for
 *   "webhook received -> event on an agent's stream".
 * Prints {"event":"listening","address":...}.
 */
import Fastify from 'fastify';
import type { ServerResponse } from 'node:http';
import { parse } from 'node:querystring';

const app = Fastify({ logger: false, forceCloseConnections: true });
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const streams: ServerResponse[] = [];
const byCustomer = new Map<string, ServerResponse>();
let eventId = 0;

app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, parse(String(body))));

app.post('/twilio/inbound', async (request, reply) => {
  const params = request.body as Record<string, string>;
  if (typeof params.Body === 'string' && params.Body.startsWith('lat:') && streams.length) {
    let stream = byCustomer.get(params.From!);
    if (!stream) {
      stream = streams[byCustomer.size % streams.length]!;
      byCustomer.set(params.From!, stream);
    }
    const data = { conversationId: params.From, message: { id: params.MessageSid, body: params.Body } };
    stream.write(`id: ${++eventId}\nevent: message\ndata: ${JSON.stringify(data)}\n\n`);
  }
  return reply.code(200).type('text/xml').send(EMPTY_TWIML);
});

app.get('/api/v1/events', async (request, reply) => {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.write(`id: ${eventId}\nevent: ready\ndata: {}\n\n`);
  streams.push(res);
  res.on('close', () => streams.splice(streams.indexOf(res), 1));
});

const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ event: 'listening', address })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
