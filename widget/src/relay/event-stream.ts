import type { RelayEvent, RelayEventType } from '@wcp/protocol';
import { backoffDelay } from './backoff.js';
import { createSseParser } from './sse-parser.js';

/** `idle` before subscribing, `open` while events flow, `reconnecting` while the stream is down. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

const RELAY_EVENT_TYPES = [
  'offer',
  'offer_withdrawn',
  'message',
  'status',
  'state',
  'window',
  'note',
  'presence',
  'consult',
  'queue',
] as const satisfies readonly RelayEventType[];
// Fails to compile if the protocol grows an event type this list does not know.
type MissingEventTypes = Exclude<RelayEventType, (typeof RELAY_EVENT_TYPES)[number]>;
const everyEventTypeListed: MissingEventTypes extends never ? true : never = true;

function isRelayEventType(type: string | undefined): type is RelayEventType {
  return everyEventTypeListed && (RELAY_EVENT_TYPES as readonly string[]).includes(type ?? '');
}

export interface EventStreamOptions {
  url: string;
  getToken: () => Promise<string>;
  fetchImpl: typeof fetch;
  onEvent: (event: RelayEvent) => void;
  onStateChange: (state: ConnectionState) => void;
  /**
   * The relay's first frame, `event: ready` (its data: `{ agentId }`, and `serverTime` when the
   * relay sends it; `reload: true` when events since the resume point were pruned from its log).
   */
  onReady?: (data: { agentId?: string; serverTime?: string; reload?: boolean }) => void;
  /** Resume point; defaults to nothing (the relay sends only new events). */
  lastEventId?: string | null;
  /** No bytes (events or `: ping`) for this long means a dead connection: reconnect. */
  heartbeatTimeoutMs?: number;
  backoff?: { baseMs?: number; maxMs?: number; random?: () => number };
}

export interface EventStream {
  close(): void;
  readonly lastEventId: string | null;
}

/**
 * Reads the relay's SSE stream with `fetch` (EventSource cannot send the bearer header),
 * remembers the last event id and reconnects with `Last-Event-ID` after any drop,
 * relay restart included, waiting with jittered exponential backoff between attempts.
 */
export function openEventStream(options: EventStreamOptions): EventStream {
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 45_000;
  let lastEventId = options.lastEventId ?? null;
  let closed = false;
  let attempt = 0;
  let current: AbortController | null = null;
  let wakeUp: (() => void) | null = null;

  const setState = (state: ConnectionState) => {
    if (!closed || state === 'closed') options.onStateChange(state);
  };

  const onOnline = () => wakeUp?.();
  globalThis.addEventListener?.('online', onOnline);

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  async function connectOnce(): Promise<void> {
    const controller = new AbortController();
    current = controller;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const feedWatchdog = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => controller.abort(), heartbeatTimeoutMs);
    };
    try {
      const token = await options.getToken();
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        Accept: 'text/event-stream',
      };
      if (lastEventId) headers['Last-Event-ID'] = lastEventId;
      feedWatchdog();
      const response = await options.fetchImpl(options.url, {
        headers,
        signal: controller.signal,
        cache: 'no-store',
      });
      if (!response.ok || !response.body) return;
      attempt = 0;
      setState('open');
      const parser = createSseParser((message) => {
        if (message.id) lastEventId = message.id;
        if (message.event === 'ready') {
          options.onReady?.(parseJson(message.data) ?? {});
          return;
        }
        if (!isRelayEventType(message.event)) return;
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        options.onEvent({ id: message.id ?? '', type: message.event, data } as RelayEvent);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        feedWatchdog();
        parser.feed(value);
      }
    } catch {
      // Network error, abort by the watchdog or by close(): the loop decides what next.
    } finally {
      clearTimeout(watchdog);
      current = null;
    }
  }

  void (async () => {
    setState('connecting');
    while (!closed) {
      await connectOnce();
      if (closed) break;
      setState('reconnecting');
      await sleep(backoffDelay(attempt++, options.backoff));
    }
  })();

  return {
    close() {
      if (closed) return;
      closed = true;
      globalThis.removeEventListener?.('online', onOnline);
      current?.abort();
      wakeUp?.();
      setState('closed');
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}

function parseJson(text: string): { agentId?: string; serverTime?: string } | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}
