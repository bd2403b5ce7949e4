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
  let code = `http_${response.status}`;
  let message = response.statusText || `The relay answered ${response.status}.`;
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const { error, message: text } = body as { error?: unknown; message?: unknown };
      if (typeof error === 'string') code = error;
      if (typeof text === 'string') message = text;
    }
  } catch {
    // Not JSON (a proxy's HTML error page, say): keep the status-based code.
  }
  return new RelayError(response.status, code, message);
}
