/** msw service-worker setup shared by the widget tests: the relay is faked at RELAY. */
import { http, HttpResponse } from 'msw';
import { setupWorker } from 'msw/browser';
import { RELAY, controllableStream } from './fixtures.js';

export { http, HttpResponse };
export const worker = setupWorker();
let started: Promise<unknown> | null = null;

export function startRelayMock(): Promise<unknown> {
  started ??= worker.start({
    quiet: true,
    serviceWorker: { url: '/mockServiceWorker.js' },
    onUnhandledRequest(request, print) {
      if (request.url.startsWith(RELAY)) print.error();
    },
  });
  return started;
}

/** A token whose payload names the agent (the outbox is keyed by it). */
export function devToken(sub = 'agent-1'): string {
  const payload = btoa(JSON.stringify({ sub, name: 'Dana Agent' })).replace(/=+$/, '');
  return `eyJhbGciOiJIUzI1NiJ9.${payload}.signature`;
}

/**
 * `GET /api/v1/events` handler that hands each connection a controllable stream and
 * records the `Last-Event-ID` each connection asked to resume from.
 */
export function eventsEndpoint() {
  const connections: { lastEventId: string | null; authorization: string | null; stream: ReturnType<typeof controllableStream> }[] = [];
  let refuse = false;
  const waiters: (() => void)[] = [];
  const handler = http.get(`${RELAY}/api/v1/events`, ({ request }) => {
    if (refuse) return HttpResponse.error();
    const stream = controllableStream();
    connections.push({
      lastEventId: request.headers.get('Last-Event-ID'),
      authorization: request.headers.get('Authorization'),
      stream,
    });
    waiters.splice(0).forEach((wake) => wake());
    return new HttpResponse(stream.stream, { headers: { 'Content-Type': 'text/event-stream' } });
  });
  return {
    handler,
    connections,
    get latest() {
      const last = connections.at(-1);
      if (!last) throw new Error('no event-stream connection yet');
      return last.stream;
    },
    /** Makes further connection attempts fail as if the relay were down. */
    setDown(down: boolean) {
      refuse = down;
    },
    /** Resolves once `count` connections have been made. */
    async waitForConnections(count: number) {
      while (connections.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}
