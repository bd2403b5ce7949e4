/**
 * The fake Twilio REST API (twilio-api.ts) on a real loopback socket, for tests that run the
 * relay as a process; `tsx server/test/fakes/twilio-api-server.ts [port]` runs it on its own.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { getResponse, http, HttpResponse, type HttpHandler } from 'msw';
import { cdnHandlers, FakeTwilioState, twilioHandlers, type FakeFailure, type FakeMessageStatus, type FakeTwilioController, type FakeTwilioOptions } from './twilio-api.ts';
import type { FakeTemplate } from './twilio-templates.ts';

export interface FakeTwilioServer {
  /** The server's origin, e.g. http://127.0.0.1:40123; use it as TWILIO_API_BASE_URL. */
  url: string;
  twilio: FakeTwilioController;
  close(): Promise<void>;
}

/**
 * The same fake on a real socket. The controller is also reachable over HTTP:
 * GET /__fake/sent, GET /__fake/create-requests, POST /__fake/fail-next {n, failure},
 * POST /__fake/delay-next {ms, n}, POST /__fake/reset, PUT /__fake/templates [..],
 * POST /__fake/media {contentType, base64} -> {url}, POST /__fake/status {sid, status, errorCode, errorMessage}.
 */
export async function startFakeTwilioServer(
  options: FakeTwilioOptions & { port?: number; host?: string } = {},
): Promise<FakeTwilioServer> {
  const server = createServer();
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake Twilio did not get a TCP port');
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const state = new FakeTwilioState(options, origin);
  const handlers = [...twilioHandlers(state, origin, origin), ...cdnHandlers(state, origin), ...controlHandlers(state, origin)];

  server.on('request', (req, res) => {
    serve(handlers, origin, req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  return {
    url: origin,
    twilio: state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function serve(handlers: HttpHandler[], origin: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(origin + (req.url ?? '/'), {
    method: req.method ?? 'GET',
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
  const response = await getResponse(handlers, request);
  if (!response) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ code: 20404, message: 'The requested resource was not found', status: 404 }));
    return;
  }
  if (response.type === 'error') {
    // msw's network error: drop the connection, as a failing network would.
    req.socket.destroy();
    return;
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

function controlHandlers(state: FakeTwilioState, origin: string): HttpHandler[] {
  const at = (path: string) => `${origin}/__fake/${path}`;
  return [
    http.get(at('sent'), () => HttpResponse.json(state.sent)),
    http.get(at('create-requests'), () => HttpResponse.json(state.createRequests)),
    http.post(at('fail-next'), async ({ request }) => {
      const { n, failure } = (await request.json()) as { n: number; failure: FakeFailure };
      state.failNext(n, failure);
      return new HttpResponse(null, { status: 204 });
    }),
    http.post(at('delay-next'), async ({ request }) => {
      const { ms, n } = (await request.json()) as { ms: number; n?: number };
      state.delayNext(ms, n);
      return new HttpResponse(null, { status: 204 });
    }),
    http.post(at('reset'), () => {
      state.reset();
      return new HttpResponse(null, { status: 204 });
    }),
    http.get(at('templates'), () => HttpResponse.json(state.templates)),
    http.put(at('templates'), async ({ request }) => {
      state.templates = (await request.json()) as FakeTemplate[];
      return new HttpResponse(null, { status: 204 });
    }),
    http.post(at('media'), async ({ request }) => {
      const { contentType, base64 } = (await request.json()) as { contentType: string; base64: string };
      return HttpResponse.json({ url: state.addMedia(contentType, Buffer.from(base64, 'base64')) }, { status: 201 });
    }),
    http.post(at('status'), async ({ request }) => {
      const { sid, status, errorCode, errorMessage } = (await request.json()) as { sid: string; status: FakeMessageStatus; errorCode?: number; errorMessage?: string };
      state.setStatus(sid, status, errorCode ?? null, errorMessage ?? null);
      return new HttpResponse(null, { status: 204 });
    }),
  ];
}

// `tsx server/test/fakes/twilio-api-server.ts [port]` runs the fake on its own for other
// processes (e2e, crash tests, benchmarks) and prints one JSON line with its URL.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fake = await startFakeTwilioServer({ port: Number(process.argv[2] ?? 0) });
  process.stdout.write(JSON.stringify({ url: fake.url, accountSid: fake.twilio.accountSid, authToken: fake.twilio.authToken }) + '\n');
  const stop = () => void fake.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
