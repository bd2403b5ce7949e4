/**
 * An agent's event stream (`GET /api/v1/events`) read in node, each event stamped with the
 * moment its chunk arrived on the wall clock the page and the relay also read
 * (`performance.timeOrigin + performance.now()`): the relay-side figure beside what the page shows.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';

export const wallNow = (): number => performance.timeOrigin + performance.now();

export function readEventStream(base: string, token: string, onEvent: (event: string, data: unknown, at: number) => void): { ready: Promise<void>; close: () => void } {
  let req: ClientRequest | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    req = httpRequest(`${base}/api/v1/events`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = wallNow();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          if (!event) continue;
          if (event === 'ready') resolve();
          const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('');
          onEvent(event, data ? JSON.parse(data) : null, at);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
  return { ready, close: () => req?.destroy() };
}
