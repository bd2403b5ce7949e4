/**
 * An honest fake of the parts of Twilio's REST API the relay uses, shaped after Twilio's
 * OpenAPI description (twilio-oai: twilio_api_v2010.json, twilio_content_v1.json):
 *
 * - POST/GET /2010-04-01/Accounts/{AccountSid}/Messages.json, GET .../Messages/{Sid}.json
 * - GET .../Messages/{MessageSid}/Media/{Sid} (307 to the media CDN, like Twilio)
 * - GET /v1/ContentAndApprovals, GET /v1/Content/{Sid}
 * - GET /2010-04-01/Accounts/{AccountSid}.json (twilio_api_v2010.json)
 * - GET /v2/Channels/Senders?Channel=whatsapp (twilio_messaging_v2.json: `senders` + `meta`, PageSize/PageToken paging)
 *
 * Basic auth (AccountSid:AuthToken) is enforced; errors carry Twilio's error JSON.
 * The handlers are written once with msw and served two ways: `setupFakeTwilio()`
 * (in-process interception) and `startFakeTwilioServer()` (twilio-api-server.ts: a real
 * loopback server for multi-process tests, with its controller reachable under /__fake/).
 */
import { randomBytes } from 'node:crypto';
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { approval, defaultTemplates, type FakeTemplate } from './twilio-templates.ts';

export { defaultTemplates, type FakeTemplate };

export const FAKE_ACCOUNT_SID = 'AC' + 'fa4e'.repeat(8);
export const FAKE_AUTH_TOKEN = 'fake-auth-token-0123456789abcdef';
export const TWILIO_ORIGINS = ['https://api.twilio.com', 'https://content.twilio.com', 'https://messaging.twilio.com'] as const;
/** Where the fake's media redirects point when it intercepts Twilio's real hosts. */
export const FAKE_MEDIA_CDN_ORIGIN = 'https://media.twiliocdn.com';

export type FakeMessageStatus = 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'undelivered';

/** A message Twilio took (the row behind the Message resource). */
export interface FakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  /** The text as Twilio stores it: for a template, the rendered template body. */
  body: string;
  mediaUrls: string[];
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  statusCallback: string | null;
  status: FakeMessageStatus;
  errorCode: number | null;
  errorMessage: string | null;
  dateCreated: Date;
  dateSent: Date | null;
}

/** Every authenticated create request, whatever its outcome. */
export interface CreateRequest {
  form: Record<string, string[]>;
  receivedAt: Date;
  outcome: { kind: 'created'; sid: string } | { kind: 'refused'; status: number; code: number | null } | { kind: 'network-error' };
}

/**
 * How a request fails: Twilio's JSON error (its status, error code and message); with `code:
 * null`, an answer from the HTTP layer in front of the API instead (a load balancer's 503, a
 * proxy's 429), which carries no Twilio error body, only a short HTML page; or a dropped connection.
 */
/** `retryAfter`: seconds, sent as Twilio does with a 429 or 503 (`Retry-After`). */
export type FakeFailure = { status: number; code: number | null; message: string; retryAfter?: number } | 'network';


/** A WhatsApp sender as the Messaging v2 Senders API returns it (the fields the relay reads). */
export interface FakeSender {
  sid: string;
  status: string;
  sender_id: string;
  webhook: { callback_url: string | null; callback_method: string | null; status_callback_url: string | null; status_callback_method: string | null } | null;
}

export function fakeSender(senderId: string, callbackUrl: string | null, statusCallbackUrl: string | null): FakeSender {
  return {
    sid: twilioSid('XE'),
    status: 'ONLINE',
    sender_id: senderId,
    webhook: { callback_url: callbackUrl, callback_method: 'POST', status_callback_url: statusCallbackUrl, status_callback_method: 'POST' },
  };
}

export interface FakeTwilioController {
  readonly accountSid: string;
  readonly authToken: string;
  /** Messages Twilio took, oldest first. */
  readonly sent: readonly FakeMessage[];
  readonly createRequests: readonly CreateRequest[];
  /** The next `n` creates fail with this error (or a dropped connection). */
  failNext(n: number, failure: FakeFailure): void;
  /** Twilio is back: the failures failNext set up and not yet used are dropped. */
  recover(): void;
  /** The next `n` creates are taken at once but answered `ms` later (a slow or timed-out Twilio). */
  delayNext(ms: number, n?: number): void;
  /** Content templates served by the Content API; mutable. */
  templates: FakeTemplate[];
  /**
   * Every Content API request fails with this error (e.g. Twilio's 503 / 20503 "Service
   * Unavailable") or a dropped connection, until set back to null. Messages are unaffected.
   */
  contentFailure: FakeFailure | null;
  /** How many contents the Content API created (POST /v1/Content). */
  readonly contentCreates: number;
  /** Typing indicators the Messaging v2 API took (POST /v2/Indicators/Typing.json), oldest first. */
  readonly typingIndicators: readonly { channel: string; messageId: string }[];
  /** WhatsApp senders served by the Messaging v2 Senders API; mutable. */
  senders: FakeSender[];
  /** Stores media bytes and returns the Twilio media URL (as in an inbound webhook's MediaUrlN). */
  addMedia(contentType: string, bytes: Uint8Array): string;
  /** Moves a message along, as WhatsApp delivery would; a failed or undelivered one with Twilio's error code and its description (else null). */
  setStatus(sid: string, status: FakeMessageStatus, errorCode?: number | null, errorMessage?: string | null): void;
  reset(): void;
}

export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  /** Origins the handlers answer on; defaults to Twilio's own api and content hosts. */
  origins?: readonly string[];
  mediaCdnOrigin?: string;
  now?: () => Date;
}

const MAX_BODY = 1600;
const E164 = /^\+[1-9]\d{1,14}$/;

export class FakeTwilioState implements FakeTwilioController {
  readonly accountSid: string;
  readonly authToken: string;
  readonly now: () => Date;
  sent: FakeMessage[] = [];
  createRequests: CreateRequest[] = [];
  templates: FakeTemplate[] = defaultTemplates();
  contentFailure: FakeFailure | null = null;
  typingIndicators: { channel: string; messageId: string }[] = [];
  contentCreates = 0;
  senders: FakeSender[] = [];
  media = new Map<string, { contentType: string; bytes: Uint8Array; messageSid: string }>();
  failures: FakeFailure[] = [];
  delays: number[] = [];

  constructor(options: FakeTwilioOptions, private readonly apiOrigin: string) {
    this.accountSid = options.accountSid ?? FAKE_ACCOUNT_SID;
    this.authToken = options.authToken ?? FAKE_AUTH_TOKEN;
    this.now = options.now ?? (() => new Date());
  }

  failNext(n: number, failure: FakeFailure): void {
    for (let i = 0; i < n; i += 1) this.failures.push(failure);
  }

  recover(): void {
    this.failures = [];
  }

  delayNext(ms: number, n = 1): void {
    for (let i = 0; i < n; i += 1) this.delays.push(ms);
  }

  addMedia(contentType: string, bytes: Uint8Array): string {
    const messageSid = twilioSid('MM');
    const mediaSid = twilioSid('ME');
    this.media.set(mediaSid, { contentType, bytes, messageSid });
    return `${this.apiOrigin}/2010-04-01/Accounts/${this.accountSid}/Messages/${messageSid}/Media/${mediaSid}`;
  }

  setStatus(sid: string, status: FakeMessageStatus, errorCode: number | null = null, errorMessage: string | null = null): void {
    const message = this.sent.find((m) => m.sid === sid);
    if (!message) throw new Error(`fake Twilio has no message ${sid}`);
    message.status = status;
    if (status !== 'accepted' && status !== 'queued') message.dateSent ??= this.now();
    message.errorCode = errorCode;
    message.errorMessage = errorMessage;
  }

  reset(): void {
    this.sent = [];
    this.createRequests = [];
    this.templates = defaultTemplates();
    this.contentFailure = null;
    this.typingIndicators = [];
    this.contentCreates = 0;
    this.senders = [];
    this.media.clear();
    this.failures = [];
    this.delays = [];
  }
}

export function twilioSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** RFC 2822 in GMT, as Twilio's v2010 API writes dates. */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

function twilioError(status: number, code: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return HttpResponse.json(
    { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status, ...extra },
    { status, headers: { ...(status === 401 ? { 'WWW-Authenticate': 'Basic realm="Twilio API"' } : {}), ...headers } },
  );
}

/** A failure the test set up, as the relay would receive it (FakeFailure). */
function failureResponse(failure: FakeFailure): Response {
  if (failure === 'network') return HttpResponse.error();
  const retryAfter: Record<string, string> = failure.retryAfter === undefined ? {} : { 'Retry-After': String(failure.retryAfter) };
  if (failure.code !== null) return twilioError(failure.status, failure.code, failure.message, {}, retryAfter);
  const page = `<html><head><title>${failure.status} ${failure.message}</title></head><body><h1>${failure.status} ${failure.message}</h1></body></html>`;
  return new HttpResponse(page, { status: failure.status, headers: { 'Content-Type': 'text/html', ...retryAfter } });
}

/** The Content API's outage, when the test set one. */
function contentDown(state: FakeTwilioState): Response | null {
  return state.contentFailure === null ? null : failureResponse(state.contentFailure);
}

function authenticate(state: FakeTwilioState, request: Request, pathAccountSid?: string): Response | null {
  const header = request.headers.get('authorization') ?? '';
  const expected = 'Basic ' + Buffer.from(`${state.accountSid}:${state.authToken}`).toString('base64');
  if (header !== expected || (pathAccountSid !== undefined && pathAccountSid !== state.accountSid)) {
    return twilioError(401, 20003, 'Authenticate', { detail: 'Your AccountSid or AuthToken was incorrect.' });
  }
  return null;
}

function messageResource(message: FakeMessage) {
  const uri = `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}`;
  return {
    account_sid: message.accountSid,
    api_version: '2010-04-01',
    body: message.body,
    date_created: rfc2822(message.dateCreated),
    date_sent: message.dateSent ? rfc2822(message.dateSent) : null,
    date_updated: rfc2822(message.dateCreated),
    direction: 'outbound-api',
    error_code: message.errorCode,
    error_message: message.errorMessage,
    from: message.from,
    messaging_service_sid: null,
    num_media: String(message.mediaUrls.length),
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: `${uri}/Media.json` },
    to: message.to,
    uri: `${uri}.json`,
  };
}

function renderTemplate(template: FakeTemplate, variables: Record<string, string>): string {
  const type = Object.values(template.types).find((t) => typeof t['body'] === 'string');
  const body = typeof type?.['body'] === 'string' ? type['body'] : '';
  return body.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (_, key: string) => variables[key] ?? template.variables[key] ?? '');
}

function formOf(params: URLSearchParams): Record<string, string[]> {
  const form: Record<string, string[]> = {};
  for (const [key, value] of params) (form[key] ??= []).push(value);
  return form;
}

type CreateResult = { ok: true; message: FakeMessage } | { ok: false; status: number; code: number; message: string };

/** Twilio's validation of a create, in the order Twilio reports the problems. */
function validateCreate(state: FakeTwilioState, form: URLSearchParams): CreateResult {
  const refuse = (code: number, message: string): CreateResult => ({ ok: false, status: 400, code, message });
  const to = form.get('To');
  const from = form.get('From');
  if (!to) return refuse(21604, "A 'To' phone number is required.");
  if (!from && !form.get('MessagingServiceSid')) return refuse(21603, "A 'From' phone number is required.");
  const toNumber = to.replace(/^whatsapp:/, '');
  if (!E164.test(toNumber)) return refuse(21211, `Invalid 'To' Phone Number: ${toNumber}`);
  if (from && !E164.test(from.replace(/^whatsapp:/, ''))) return refuse(21212, `Invalid From Number (caller ID): ${from}`);
  if (from?.startsWith('whatsapp:') !== to.startsWith('whatsapp:')) {
    return refuse(21910, 'Invalid From and To pair. From and To should be of the same channel');
  }
  const body = form.get('Body') ?? '';
  const mediaUrls = form.getAll('MediaUrl');
  const contentSid = form.get('ContentSid');
  if (!body && mediaUrls.length === 0 && !contentSid) {
    return refuse(21619, 'A text message body or media urls must be specified.');
  }
  if (body.length > MAX_BODY) return refuse(21617, 'The concatenated message body exceeds the 1600 character limit.');
  for (const url of mediaUrls) if (!/^https?:\/\//.test(url)) return refuse(21620, `Invalid media URL(s): ${url}`);
  const statusCallback = form.get('StatusCallback');
  if (statusCallback && !/^https?:\/\/[^\s/]+/.test(statusCallback)) return refuse(21609, "Invalid 'StatusCallback'");

  let storedBody = body;
  let variables: Record<string, string> | null = null;
  if (contentSid) {
    const template = state.templates.find((t) => t.sid === contentSid);
    if (!template) return refuse(21655, 'The ContentSid is Invalid.');
    const raw = form.get('ContentVariables');
    if (raw) {
      const parsed = parseVariables(raw);
      if (!parsed) return refuse(21656, 'The ContentVariables Parameter is invalid.');
      variables = parsed;
    }
    storedBody = renderTemplate(template, variables ?? {});
  }
  const now = state.now();
  return {
    ok: true,
    message: {
      sid: twilioSid(mediaUrls.length > 0 ? 'MM' : 'SM'),
      accountSid: state.accountSid,
      to,
      from: from ?? '',
      body: storedBody,
      mediaUrls,
      contentSid: contentSid ?? null,
      contentVariables: variables,
      statusCallback: statusCallback ?? null,
      status: 'queued',
      errorCode: null,
      errorMessage: null,
      dateCreated: now,
      // Twilio sets date_sent when it sends the message, not when it queues it.
      dateSent: null,
    },
  };
}

function parseVariables(raw: string): Record<string, string> | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const out: Record<string, string> = {};
    for (const [key, v] of Object.entries(value)) {
      if (typeof v !== 'string') return null;
      out[key] = v;
    }
    return out;
  } catch {
    return null;
  }
}

/** Twilio's list filters: DateSent> is "on or after", DateSent< "on or before" (date or date-time). */
function dateFilter(value: string | null, edge: 'start' | 'end'): Date | null {
  if (!value) return null;
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(dayOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return null;
  if (dayOnly && edge === 'end') date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

function listMessages(state: FakeTwilioState, url: URL): Response {
  const q = url.searchParams;
  const after = dateFilter(q.get('DateSent>'), 'start');
  const before = dateFilter(q.get('DateSent<'), 'end');
  const on = q.get('DateSent');
  const matching = state.sent
    .filter((m) => (!q.get('To') || m.to === q.get('To')) && (!q.get('From') || m.from === q.get('From')))
    .filter((m) => !after || (m.dateSent !== null && m.dateSent >= after))
    .filter((m) => !before || (m.dateSent !== null && m.dateSent < before))
    .filter((m) => !on || m.dateSent?.toISOString().slice(0, 10) === on)
    .slice()
    .reverse(); // Twilio lists newest first
  const pageSize = Math.min(Math.max(Number(q.get('PageSize') ?? 50) || 50, 1), 1000);
  const page = Math.max(Number(q.get('Page') ?? 0) || 0, 0);
  const start = page * pageSize;
  const items = matching.slice(start, start + pageSize);
  const path = url.pathname;
  const pageUri = (n: number) => {
    const params = new URLSearchParams(q);
    params.set('PageSize', String(pageSize));
    params.set('Page', String(n));
    if (n > 0) params.set('PageToken', `PA${n}`);
    else params.delete('PageToken');
    return `${path}?${params.toString()}`;
  };
  return HttpResponse.json({
    first_page_uri: pageUri(0),
    end: start + Math.max(items.length - 1, 0),
    previous_page_uri: page > 0 ? pageUri(page - 1) : null,
    messages: items.map(messageResource),
    uri: pageUri(page),
    page_size: pageSize,
    start,
    next_page_uri: start + pageSize < matching.length ? pageUri(page + 1) : null,
    page,
  });
}

function contentResource(template: FakeTemplate, accountSid: string, origin: string) {
  return {
    sid: template.sid,
    account_sid: accountSid,
    friendly_name: template.friendly_name,
    language: template.language,
    variables: template.variables,
    types: template.types,
    url: `${origin}/v1/Content/${template.sid}`,
    links: { approval_fetch: `${origin}/v1/Content/${template.sid}/ApprovalRequests` },
    date_created: '2024-01-15T10:00:00Z',
    date_updated: '2024-01-15T10:00:00Z',
  };
}

function listContentAndApprovals(state: FakeTwilioState, url: URL): Response {
  const pageSize = Math.min(Math.max(Number(url.searchParams.get('PageSize') ?? 50) || 50, 1), 1000);
  const page = Math.max(Number(url.searchParams.get('Page') ?? 0) || 0, 0);
  const start = page * pageSize;
  const pageUrl = (n: number) =>
    `${url.origin}/v1/ContentAndApprovals?PageSize=${pageSize}&Page=${n}${n > 0 ? `&PageToken=PT${n}` : ''}`;
  return HttpResponse.json({
    contents: state.templates.slice(start, start + pageSize).map((t) => {
      const { url: _url, links: _links, ...resource } = contentResource(t, state.accountSid, url.origin);
      return { ...resource, approval_requests: t.approval_requests };
    }),
    meta: {
      page,
      page_size: pageSize,
      first_page_url: pageUrl(0),
      previous_page_url: page > 0 ? pageUrl(page - 1) : null,
      url: pageUrl(page),
      next_page_url: start + pageSize < state.templates.length ? pageUrl(page + 1) : null,
      key: 'contents',
    },
  });
}

export function twilioHandlers(state: FakeTwilioState, origin: string, mediaCdnOrigin: string): HttpHandler[] {
  const messages = `${origin}/2010-04-01/Accounts/:AccountSid/Messages`;
  return [
    http.post(`${messages}.json`, async ({ request, params }) => {
      const denied = authenticate(state, request, String(params['AccountSid']));
      if (denied) return denied;
      const form = new URLSearchParams(await request.text());
      const record: CreateRequest = { form: formOf(form), receivedAt: state.now(), outcome: { kind: 'network-error' } };
      state.createRequests.push(record);
      const failure = state.failures.shift();
      if (failure) {
        if (failure !== 'network') record.outcome = { kind: 'refused', status: failure.status, code: failure.code };
        return failureResponse(failure);
      }
      const result = validateCreate(state, form);
      if (!result.ok) {
        record.outcome = { kind: 'refused', status: result.status, code: result.code };
        return twilioError(result.status, result.code, result.message);
      }
      // Taken before any delay: a client that times out has still reached Twilio.
      state.sent.push(result.message);
      record.outcome = { kind: 'created', sid: result.message.sid };
      const wait = state.delays.shift();
      if (wait !== undefined) await delay(wait);
      return HttpResponse.json(messageResource(result.message), { status: 201 });
    }),
    http.get(`${messages}.json`, ({ request, params }) => {
      const denied = authenticate(state, request, String(params['AccountSid']));
      if (denied) return denied;
      return listMessages(state, new URL(request.url));
    }),
    http.get(`${messages}/:Sid.json`, ({ request, params }) => {
      const denied = authenticate(state, request, String(params['AccountSid']));
      if (denied) return denied;
      const message = state.sent.find((m) => m.sid === params['Sid']);
      if (!message) return twilioError(404, 20404, `The requested resource ${new URL(request.url).pathname} was not found`);
      return HttpResponse.json(messageResource(message));
    }),
    http.get(`${messages}/:MessageSid/Media/:MediaSid`, ({ request, params }) => {
      const denied = authenticate(state, request, String(params['AccountSid']));
      if (denied) return denied;
      const media = state.media.get(String(params['MediaSid']));
      if (!media || media.messageSid !== params['MessageSid']) {
        return twilioError(404, 20404, `The requested resource ${new URL(request.url).pathname} was not found`);
      }
      // Twilio answers media requests with a temporary redirect to its CDN.
      return new Response(null, { status: 307, headers: { Location: `${mediaCdnOrigin}/__fake/cdn/${String(params['MediaSid'])}` } });
    }),
    http.get(`${origin}/2010-04-01/Accounts/:AccountSid.json`, ({ request, params }) => {
      const denied = authenticate(state, request, String(params['AccountSid']));
      if (denied) return denied;
      const uri = `/2010-04-01/Accounts/${state.accountSid}`;
      return HttpResponse.json({
        auth_token: state.authToken,
        date_created: rfc2822(new Date(0)),
        date_updated: rfc2822(new Date(0)),
        friendly_name: 'Fake Twilio account',
        owner_account_sid: state.accountSid,
        sid: state.accountSid,
        status: 'active',
        subresource_uris: { messages: `${uri}/Messages.json` },
        type: 'Full',
        uri: `${uri}.json`,
      });
    }),
    // Messaging v2 typing indicator (twilio_messaging_v2.json CreateTypingIndicator): form fields channel, messageId.
    http.post(`${origin}/v2/Indicators/Typing.json`, async ({ request }) => {
      const denied = authenticate(state, request);
      if (denied) return denied;
      const form = new URLSearchParams(await request.text());
      const channel = form.get('channel') ?? '';
      const messageId = form.get('messageId') ?? '';
      if (channel !== 'whatsapp') return twilioError(400, 20001, 'Invalid channel: must be whatsapp');
      if (!/^(SM|MM)[0-9a-f]{32}$/.test(messageId)) return twilioError(400, 20001, 'Invalid messageId: must be a Message SID (SM*) or Media SID (MM*)');
      state.typingIndicators.push({ channel, messageId });
      return HttpResponse.json({ success: true });
    }),
    http.get(`${origin}/v2/Channels/Senders`, ({ request }) => {
      const denied = authenticate(state, request);
      if (denied) return denied;
      const url = new URL(request.url);
      const channel = url.searchParams.get('Channel');
      if (!channel) return twilioError(400, 20001, 'Missing required parameter Channel in the post body');
      const pageSize = Math.min(Math.max(Number(url.searchParams.get('PageSize') ?? '50') || 50, 1), 1000);
      const start = Number(url.searchParams.get('PageToken') ?? '0') || 0;
      const page = Number(url.searchParams.get('Page') ?? '0') || 0;
      const all = state.senders.filter((s) => s.sender_id.startsWith(`${channel}:`));
      const slice = all.slice(start, start + pageSize);
      const link = (token: number | null, p: number) =>
        `${origin}/v2/Channels/Senders?Channel=${channel}&PageSize=${pageSize}&Page=${p}${token === null ? '' : `&PageToken=${token}`}`;
      return HttpResponse.json({
        senders: slice.map((s) => ({ ...s, friendly_name: null, configuration: null, profile: null, properties: null, offline_reasons: null, compliance: null, url: `${origin}/v2/Channels/Senders/${s.sid}` })),
        meta: {
          page,
          page_size: pageSize,
          first_page_url: link(null, 0),
          previous_page_url: start > 0 ? link(Math.max(start - pageSize, 0), page - 1) : null,
          url: link(start || null, page),
          next_page_url: start + pageSize < all.length ? link(start + pageSize, page + 1) : null,
          key: 'senders',
        },
      });
    }),
    http.get(`${origin}/v1/ContentAndApprovals`, ({ request }) => {
      const denied = authenticate(state, request) ?? contentDown(state);
      if (denied) return denied;
      return listContentAndApprovals(state, new URL(request.url));
    }),
    // Content API create (twilio_content_v1.json CreateContent): a JSON body; the new content awaits no approval.
    http.post(`${origin}/v1/Content`, async ({ request }) => {
      const denied = authenticate(state, request) ?? contentDown(state);
      if (denied) return denied;
      const body = (await request.json().catch(() => null)) as Partial<FakeTemplate> | null;
      if (!body?.friendly_name || !body.language || !body.types || Object.keys(body.types).length === 0) {
        return twilioError(400, 20001, 'Invalid content: friendly_name, language and types are required');
      }
      const quickReply = body.types['twilio/quick-reply'] as { actions?: { title?: string; id?: string }[] } | undefined;
      if (quickReply && (!quickReply.actions?.length || quickReply.actions.length > 10 || quickReply.actions.some((a) => !a.title || a.title.length > 20 || !a.id))) {
        return twilioError(400, 20001, 'Invalid twilio/quick-reply actions');
      }
      const template: FakeTemplate = {
        sid: twilioSid('HX'),
        friendly_name: body.friendly_name,
        language: body.language,
        variables: body.variables ?? {},
        types: body.types,
        approval_requests: approval('', '', '', 'unsubmitted'),
      };
      state.templates.push(template);
      state.contentCreates += 1;
      return HttpResponse.json(contentResource(template, state.accountSid, origin), { status: 201 });
    }),
    http.get(`${origin}/v1/Content/:Sid`, ({ request, params }) => {
      const denied = authenticate(state, request) ?? contentDown(state);
      if (denied) return denied;
      const template = state.templates.find((t) => t.sid === params['Sid']);
      if (!template) return twilioError(404, 20404, 'The requested resource was not found');
      return HttpResponse.json(contentResource(template, state.accountSid, origin));
    }),
  ];
}

export function cdnHandlers(state: FakeTwilioState, cdnOrigin: string): HttpHandler[] {
  return [
    http.get(`${cdnOrigin}/__fake/cdn/:MediaSid`, ({ params }) => {
      const media = state.media.get(String(params['MediaSid']));
      if (!media) return new HttpResponse(null, { status: 404 });
      return new HttpResponse(media.bytes, {
        headers: { 'Content-Type': media.contentType, 'Content-Length': String(media.bytes.byteLength) },
      });
    }),
  ];
}

export function setupFakeTwilio(options: FakeTwilioOptions = {}): { server: SetupServer; twilio: FakeTwilioController } {
  const origins = options.origins ?? TWILIO_ORIGINS;
  const cdn = options.mediaCdnOrigin ?? FAKE_MEDIA_CDN_ORIGIN;
  const state = new FakeTwilioState(options, origins[0] ?? TWILIO_ORIGINS[0]);
  const handlers = [...origins.flatMap((origin) => twilioHandlers(state, origin, cdn)), ...cdnHandlers(state, cdn)];
  return { server: setupServer(...handlers), twilio: state };
}
