/**
 * Fetches inbound media from Twilio for an agent. The URL comes from a webhook, so it
 * is treated as hostile: only the configured Twilio API origin gets our credentials,
 * redirects are followed by hand and only to Twilio's media hosts (without
 * credentials), and the size limit is enforced on the bytes as they stream, not on
 * what the server claims.
 */
import { isLoopbackHost } from '../domain/loopback.ts';
import { rebaseTwilioUrl, TWILIO_API } from '../transport/twilio-rest.ts';

export interface TwilioMediaOptions {
  accountSid: string;
  authToken: string;
  /** TWILIO_API_BASE_URL: Twilio's API host is rebased onto it, and media URLs must be on its origin. */
  apiBaseUrl?: string | null;
  maxBytes: number;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export type TwilioMediaError =
  | 'media_url_not_allowed'
  | 'media_redirect_not_allowed'
  | 'media_too_large'
  | 'media_fetch_failed';

export type TwilioMediaResult =
  | { ok: true; contentType: string; body: ReadableStream<Uint8Array>; size: number | null }
  | { ok: false; error: TwilioMediaError; message: string; status?: number };

const MAX_REDIRECTS = 3;
const DEFAULT_TIMEOUT_MS = 30_000;
const MEDIA_HOST_SUFFIXES = ['.twilio.com', '.twiliocdn.com'];

export async function fetchTwilioMedia(url: string, options: TwilioMediaOptions): Promise<TwilioMediaResult> {
  const apiBase = new URL(options.apiBaseUrl ?? TWILIO_API);
  // A webhook names the media on Twilio's own host (api.twilio.com) whatever the relay calls:
  // with a base configured, that host is the base (DESIGN: every Twilio host is rebased).
  const named = parseUrl(url);
  const first = named && options.apiBaseUrl && isTwilioApiOrigin(named) ? parseUrl(rebaseTwilioUrl(named.href, { api: options.apiBaseUrl })) : named;
  if (!first || !isAccountMediaUrl(first, apiBase, options.accountSid)) {
    return refuse('media_url_not_allowed', 'The media URL is not a media resource of this Twilio account.');
  }
  const fetchImpl = options.fetchImpl ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const credentials = 'Basic ' + Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64');

  let target = first;
  let headers: Record<string, string> = { Authorization: credentials };
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    let response: Response;
    try {
      response = await fetchImpl(target, { headers, redirect: 'manual', signal });
    } catch (error) {
      return refuse('media_fetch_failed', `Could not reach Twilio for the media (${errorName(error)}).`);
    }
    if (isRedirect(response.status)) {
      discard(response);
      const next = parseUrl(response.headers.get('location') ?? '', target);
      if (!next || !isMediaHost(next, apiBase)) {
        return refuse('media_redirect_not_allowed', 'Twilio redirected the media to a host that is not Twilio’s.');
      }
      target = next;
      // The CDN link is pre-signed; our credentials never leave the API origin.
      headers = {};
      continue;
    }
    if (!response.ok || !response.body) {
      discard(response);
      return refuse('media_fetch_failed', `Twilio answered HTTP ${response.status} for the media.`, response.status);
    }
    return limitedBody(response, options.maxBytes);
  }
  return refuse('media_redirect_not_allowed', 'Twilio redirected the media too many times.');
}

function limitedBody(response: Response, maxBytes: number): TwilioMediaResult {
  const declared = Number(response.headers.get('content-length'));
  const size = response.headers.has('content-length') && Number.isSafeInteger(declared) && declared >= 0 ? declared : null;
  if (size !== null && size > maxBytes) {
    discard(response);
    return refuse('media_too_large', `The media is ${size} bytes; the limit is ${maxBytes}.`);
  }
  let seen = 0;
  const guard = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) {
        controller.error(new Error(`media_too_large: more than ${maxBytes} bytes`));
        return;
      }
      controller.enqueue(chunk);
    },
  });
  const body = (response.body as ReadableStream<Uint8Array>).pipeThrough(guard);
  const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
  return { ok: true, contentType, body, size };
}

function parseUrl(value: string, base?: URL): URL | null {
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}

/** Media of this account on the configured API origin: /2010-04-01/Accounts/{AC}/Messages/{SID}/Media/{ME}. */
function isAccountMediaUrl(url: URL, apiBase: URL, accountSid: string): boolean {
  if (url.username || url.password || url.origin !== apiBase.origin) return false;
  const prefix = apiBase.pathname.replace(/\/+$/, '');
  const path = url.pathname.startsWith(prefix + '/') ? url.pathname.slice(prefix.length) : null;
  const pattern = new RegExp(`^/2010-04-01/Accounts/${accountSid}/Messages/(SM|MM)[0-9a-fA-F]{32}/Media/ME[0-9a-fA-F]{32}$`);
  return path !== null && /^AC[0-9a-fA-F]{32}$/.test(accountSid) && pattern.test(path);
}

/** https://api.twilio.com, without credentials in the URL. */
function isTwilioApiOrigin(url: URL): boolean {
  return url.origin === TWILIO_API && !url.username && !url.password;
}

/** Twilio's media hosts over https; a local fake may also redirect to its own origin. */
function isMediaHost(url: URL, apiBase: URL): boolean {
  if (url.username || url.password) return false;
  if (isLoopbackHost(apiBase.hostname) && url.origin === apiBase.origin) return true;
  if (url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase();
  return MEDIA_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Releases the connection; not awaited, since a stalled peer must not stall us. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'network error';
}

function refuse(error: TwilioMediaError, message: string, status?: number): TwilioMediaResult {
  return status === undefined ? { ok: false, error, message } : { ok: false, error, message, status };
}
