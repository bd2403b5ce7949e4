/**
 * The Twilio REST calls the relay makes (transport/twilio.ts: create and list Messages, create
 * and fetch Content, list ContentAndApprovals, the typing indicator), over node:https.
 *
 * Why not the `twilio` package: it held ~6 MB of heap in every Twilio-mode relay (4.8 MB of it
 * axios and its sources), for these six calls — about 3 MB of resident memory on top of the
 * relay's other packages, and more at the peak, where V8 lets garbage grow in proportion to the
 * live heap (test/bench/README.md, "Eighth session"). What it did for us is small and specified
 * by twilio-oai (twilio_api_v2010.json, twilio_content_v1.json, twilio_messaging_v2.json):
 * - HTTP Basic auth with the Account SID and Auth Token;
 * - form-encoded bodies (repeated keys for lists, e.g. MediaUrl), JSON for Content create;
 * - a non-2xx answer carries `{ code, message, more_info, status }` → TwilioApiError;
 * - lists page by `next_page_uri` (2010 API, relative to api.twilio.com) or
 *   `meta.next_page_url` (newer APIs, absolute).
 * No retries here: the outbox owns them and their pacing (the client's 429 auto-retry was off too).
 *
 * node:https, not fetch: the first fetch loads undici (its WebAssembly HTTP parser and ~2 MB of
 * heap), +16–26 MB of RSS in a relay-sized process against +1 MB for node:https, whose parser the
 * relay's own server already uses (the twilio package's first call: +10–11 MB).
 */
// Whole modules, read at call time: interceptors (the tests' msw) replace `request` on them.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { retryAfterMs } from '../domain/retry-after.ts';

/** Twilio's API origin: the 2010 API's pages, and the media a webhook names, are on it. */
export const TWILIO_API = 'https://api.twilio.com';

/** A non-2xx answer from Twilio: its HTTP status and Twilio's error code (e.g. 63016), when it sent one. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | null,
    message: string,
    readonly moreInfo: string | null,
    /** Twilio's Retry-After (with 429 and 503): when to try again. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'TwilioApiError';
  }
}

function isTwilioHost(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return host === 'twilio.com' || host.endsWith('.twilio.com');
}

/** Rebases Twilio URLs onto configured origins (a local fake, a proxy); other hosts are left alone. */
export function rebaseTwilioUrl(uri: string, bases: { api?: string; content?: string }): string {
  const url = new URL(uri);
  const host = url.hostname.toLowerCase();
  if (!isTwilioHost(url)) return uri;
  const product = host.split('.')[0];
  const base = product === 'content' ? (bases.content ?? bases.api) : bases.api;
  if (!base) return uri;
  return base.replace(/\/+$/, '') + url.pathname + url.search;
}

/**
 * Where a call to `url` goes with the account's credentials: a Twilio URL, rebased onto the
 * configured origins, or a URL already on one of them (a list's next page is a URL from the
 * answer, and a fake or proxy at the base names its own origin). Anything else is refused
 * before a byte is sent.
 */
function credentialedTarget(url: string, bases: { api?: string; content?: string }): URL {
  const target = new URL(url);
  if (target.protocol === 'https:' && isTwilioHost(target)) return new URL(rebaseTwilioUrl(url, bases));
  const configured = [bases.api, bases.content].filter((base): base is string => !!base).map((base) => new URL(base));
  if (!target.username && !target.password && configured.some((base) => base.origin === target.origin)) return target;
  throw new Error(`Not a Twilio API URL, so the account's credentials were not sent: ${target.origin}`);
}

/** Form fields; an array is sent as the key repeated (Twilio's list parameters), undefined is left out. */
export type FormFields = Record<string, string | string[] | undefined>;

export interface TwilioRestOptions {
  accountSid: string;
  authToken: string;
  bases: { api?: string; content?: string };
  /** Per request, to the end of the body. */
  timeoutMs: number;
}

export interface TwilioRest {
  /** `url` is a full https://*.twilio.com URL; it is rebased onto the configured origins. */
  get<T>(url: string, query?: FormFields): Promise<T>;
  postForm<T>(url: string, form: FormFields): Promise<T>;
  postJson<T>(url: string, body: unknown): Promise<T>;
  /** Every item under `key` across pages, up to `limit`. */
  list<T>(url: string, key: string, query: FormFields, limit?: number): Promise<T[]>;
}

function encode(fields: FormFields): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, one);
  }
  return params;
}

/** The next page's URL of a Twilio list, or null on the last page. */
function nextPage(page: Record<string, unknown>): string | null {
  const meta = page['meta'] as { next_page_url?: string | null } | undefined;
  if (meta?.next_page_url) return meta.next_page_url;
  const uri = page['next_page_uri'];
  return typeof uri === 'string' && uri ? TWILIO_API + uri : null;
}

export function twilioRest(options: TwilioRestOptions): TwilioRest {
  const authorization = 'Basic ' + Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64');
  // Connections kept open between calls (sends come in bursts, paced at up to 80/s per sender).
  const agents = { https: new https.Agent({ keepAlive: true }), http: new http.Agent({ keepAlive: true }) };

  async function request<T>(method: 'GET' | 'POST', url: string, body?: { type: string; text: string }): Promise<T> {
    const headers: Record<string, string | number> = { authorization, accept: 'application/json' };
    if (body) Object.assign(headers, { 'content-type': body.type, 'content-length': Buffer.byteLength(body.text) });
    const { status, text, retryAfter } = await exchange(credentialedTarget(url, options.bases), method, headers, body?.text, options.timeoutMs, agents);
    if (status < 200 || status >= 300) throw apiError(status, text, retryAfterMs(retryAfter, Date.now()));
    return (text ? JSON.parse(text) : {}) as T;
  }

  const withQuery = (url: string, query: FormFields = {}) => {
    const search = encode(query).toString();
    return search ? `${url}${url.includes('?') ? '&' : '?'}${search}` : url;
  };

  return {
    get: (url, query) => request('GET', withQuery(url, query)),
    postForm: (url, form) => request('POST', url, { type: 'application/x-www-form-urlencoded', text: encode(form).toString() }),
    postJson: (url, body) => request('POST', url, { type: 'application/json', text: JSON.stringify(body) }),
    async list<T>(url: string, key: string, query: FormFields, limit = Infinity): Promise<T[]> {
      const items: T[] = [];
      let next: string | null = withQuery(url, query);
      while (next && items.length < limit) {
        const page: Record<string, unknown> = await request('GET', next);
        const found = page[key];
        if (Array.isArray(found)) items.push(...(found as T[]));
        next = nextPage(page);
      }
      return items.slice(0, limit);
    },
  };
}

/** One request and its whole answer as text; rejects on a network error or after `timeoutMs` (to the body's end). */
function exchange(
  url: URL,
  method: string,
  headers: Record<string, string | number>,
  body: string | undefined,
  timeoutMs: number,
  agents: { https: https.Agent; http: http.Agent },
): Promise<{ status: number; text: string; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const options = { method, headers, signal: AbortSignal.timeout(timeoutMs) };
    const onResponse = (response: IncomingMessage) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text, retryAfter: response.headers['retry-after'] }));
      // Cut off mid-body (timeout, reset): no 'end'; rejecting after a resolve is a no-op.
      response.on('close', () => (response.complete ? undefined : reject(new Error('Twilio closed the connection mid-answer'))));
      response.on('error', reject);
    };
    const outgoing = secure
      ? https.request(url, { ...options, agent: agents.https }, onResponse)
      : http.request(url, { ...options, agent: agents.http }, onResponse);
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function apiError(status: number, text: string, retryAfter: number | null): TwilioApiError {
  let body: { code?: unknown; message?: unknown; more_info?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') body = parsed as typeof body;
  } catch {
    // Not Twilio's JSON error (a proxy's page): the status is all there is.
  }
  return new TwilioApiError(
    status,
    typeof body.code === 'number' ? body.code : null,
    typeof body.message === 'string' ? body.message : `Twilio answered HTTP ${status}`,
    typeof body.more_info === 'string' ? body.more_info : null,
    retryAfter,
  );
}
