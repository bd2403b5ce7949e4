/** SSE over fetch for tests: one frame parser, and a reader that collects parsed events from a live stream. */
export interface SseEvent {
  id: string | null;
  event: string;
  data: unknown;
}

/**
 * The frames of an SSE body as they arrive. A frame is yielded only once its blank line
 * has arrived, as a browser's EventSource does; `data` is the joined data lines, unparsed;
 * `retry` the reconnection delay (ms) the frame sets, if any.
 */
export async function* sseFrames(body: AsyncIterable<Uint8Array>): AsyncGenerator<{ id: string | null; event: string; data: string; retry: number | null }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id: string | null = null;
      let event = 'message';
      let retry: number | null = null;
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
        else if (line.startsWith('retry: ')) retry = Number(line.slice(7));
      }
      yield { id, event, data: data.join('\n'), retry };
    }
  }
}

/**
 * One row of the relay's event log as a stream delivers it: its frames, which all carry the row's
 * id (src/events/sse-frames.ts: a customer's message streams as `message`, carrying the window it
 * re-opened, then `window`). `type` and `data` are the first frame's.
 */
export interface StreamRow {
  id: number;
  type: string;
  data: Record<string, unknown>;
  frames: { type: string; data: unknown }[];
}

/** Collects a connection's event frames (not `ready`) into rows: feed it each; it returns a row when one is whole. */
export function rowsOf(): (frame: { id: string | null; event: string; data: string }) => StreamRow | null {
  let held: { type: string; data: unknown }[] = [];
  return (frame) => {
    // A frame with neither data nor id is no event (EventSource dispatches none): the relay's
    // `: ping` every 15 s, or the bare `retry:` hint a stream ends with at shutdown. Taken for an
    // event without an id, it ended every test stream that lived past 15 s (the crash-safety flake).
    if (frame.data === '' && frame.id === null) return null;
    const data = JSON.parse(frame.data || '{}') as Record<string, unknown>;
    held.push({ type: frame.event, data });
    if (frame.id === null) throw new Error(`a ${frame.event} frame without an id`);
    // The customer's message: its window frame follows under the same id.
    if (frame.event === 'message' && 'windowExpiresAt' in data) return null;
    const frames = held;
    held = [];
    return { id: Number(frame.id), type: frames[0]!.type, data: frames[0]!.data as Record<string, unknown>, frames };
  };
}

export interface SseConnection {
  events: SseEvent[];
  /** Resolves once `predicate` holds for the collected events (or rejects after `ms`). */
  until(predicate: (events: SseEvent[]) => boolean, ms?: number): Promise<SseEvent[]>;
  /** Settles when the relay ends the stream (or it is closed here). */
  ended: Promise<void>;
  close(): void;
}

export async function connectSse(url: string, token: string, lastEventId?: string): Promise<SseConnection> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  const response = await fetch(url, { headers, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`SSE ${response.status}`);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const ended = (async () => {
    try {
      for await (const frame of sseFrames(response.body as unknown as AsyncIterable<Uint8Array>)) {
        if (frame.data) events.push({ id: frame.id, event: frame.event, data: JSON.parse(frame.data) });
        for (const w of waiters) w();
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    ended,
    until(predicate, ms = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(events)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(events);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out; saw ${events.map((e) => e.event).join(',')}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
