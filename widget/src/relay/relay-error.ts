/** A failed relay call as a value: HTTP status, the relay's error code and a human message. */
export class RelayError extends Error {
  override name = 'RelayError';
  constructor(
    /** HTTP status; 0 when the relay could not be reached. */
    readonly status: number,
    /** The relay's `error` code (e.g. `window_expired`), or `network_error` / `http_<status>`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** True when the request never got an answer, so it may be retried as it is. */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

/** Builds a RelayError from a non-2xx response, keeping the relay's own message (e.g. window_expired). */
export async function relayErrorFrom(response: Response): Promise<RelayError> {
  return relayErrorOf(response.status, response.statusText, await response.text().catch(() => ''));
}

/** The same from a status and the answer's text (an XMLHttpRequest's, say). */
export function relayErrorOf(status: number, statusText: string, text: string): RelayError {
  let code = `http_${status}`;
  let message = statusText || `The relay answered ${status}.`;
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object') {
      const { error, message: said } = body as { error?: unknown; message?: unknown };
      if (typeof error === 'string') code = error;
      if (typeof said === 'string') message = said;
    }
  } catch {
    // Not JSON (a proxy's HTML error page, say): keep the status-based code.
  }
  return new RelayError(status, code, message);
}
