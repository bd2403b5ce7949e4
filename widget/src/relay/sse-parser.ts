/** One server-sent event: its own `id` and `event` fields when it had them, its data lines joined. */
export interface SseMessage {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

export interface SseParser {
  /** The next piece of the decoded stream, cut anywhere (mid-line, mid-CRLF). */
  feed(chunk: string): void;
}

/**
 * The WHATWG event-stream format, as the relay's `GET /api/v1/events` writes it: lines end in LF,
 * CR or CRLF; a blank line ends an event, which is passed on when it had `data` lines; `:` starts
 * a comment (the relay's `: ping`); one space after the colon is dropped. `id` is the event's own
 * (the caller remembers the last one); `retry` and unknown fields are ignored. The
 * TextDecoderStream in front has already dropped a byte-order mark.
 *
 * Replaces the eventsource-parser package (3.4 KB minified) with the part the panel uses.
 */
export function createSseParser(onEvent: (message: SseMessage) => void): SseParser {
  let pending = '';
  let id: string | undefined;
  let event: string | undefined;
  let data: string[] = [];

  const line = (text: string) => {
    if (!text) {
      if (data.length) onEvent({ id, event, data: data.join('\n') });
      id = event = undefined;
      data = [];
      return;
    }
    const colon = text.indexOf(':');
    if (colon === 0) return;
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(text[colon + 1] === ' ' ? colon + 2 : colon + 1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value || undefined;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };

  return {
    feed(chunk) {
      const text = pending + chunk;
      // A CR at the very end may be the first half of a CRLF: keep it for the next chunk.
      const end = text.endsWith('\r') ? text.length - 1 : text.length;
      const lines = text.slice(0, end).split(/\r\n|\r|\n/);
      pending = lines.pop()! + text.slice(end);
      for (const complete of lines) line(complete);
    },
  };
}
