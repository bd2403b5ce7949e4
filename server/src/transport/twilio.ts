/**
 * The Twilio adapter of the Transport port, on the official `twilio` client.
 *
 * Redirecting to a fake: setting `client.api.baseUrl` only moves api.twilio.com;
 * the Content API (content.twilio.com) is a separate domain object, and Twilio's
 * own paging links (`meta.next_page_url`) are absolute. So the rewrite lives in the
 * HTTP client every domain goes through: any *.twilio.com URL is rebased onto the
 * configured origin just before the request leaves.
 */
import { createHash } from 'node:crypto';
import twilio from 'twilio';
import type { MessageTemplate } from '@wcp/protocol';
import { describeTwilioError } from '../twilio/errors.ts';
import { outboundStatusFromTwilio } from '../twilio/status.ts';
import type { OutboundSend, SendOutcome, Transport } from './port.ts';

/** The part of a pino logger the transport uses; never given bodies or phone numbers. */
export interface TransportLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface TwilioTransportOptions {
  accountSid: string;
  authToken: string;
  /** Replaces https://api.twilio.com — and every other Twilio host unless given its own below. */
  apiBaseUrl?: string | null;
  /** Replaces https://content.twilio.com; defaults to apiBaseUrl. */
  contentBaseUrl?: string | null;
  /** Per request; a send that times out is retried (after findSent) by the outbox. */
  timeoutMs?: number;
  logger?: TransportLogger;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** Friendly names of the quick-reply contents the relay creates for buttons. */
const QUICK_REPLY_PREFIX = 'wcp_quick_reply_';
/** Most recent messages to inspect when looking for one Twilio may already have taken. */
const FIND_SENT_LIMIT = 100;

/** The request Twilio's public RequestClient takes (named through the package's public export, not its private files). */
type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

/** Rebases Twilio URLs onto configured origins (a local fake, a proxy). */
export function rebaseTwilioUrl(uri: string, bases: { api?: string; content?: string }): string {
  const url = new URL(uri);
  const host = url.hostname.toLowerCase();
  if (host !== 'twilio.com' && !host.endsWith('.twilio.com')) return uri;
  const product = host.split('.')[0];
  const base = product === 'content' ? (bases.content ?? bases.api) : bases.api;
  if (!base) return uri;
  return base.replace(/\/+$/, '') + url.pathname + url.search;
}

class RebasingRequestClient extends twilio.RequestClient {
  constructor(
    private readonly bases: { api?: string; content?: string },
    timeoutMs: number,
  ) {
    // Twilio's own 429 auto-retry stays off: the outbox owns retries and their pacing.
    super({ timeout: timeoutMs, autoRetry: false });
  }

  override request<TData>(opts: RequestOptions) {
    return super.request<TData>({ ...opts, data: opts.data as TData | undefined, uri: rebaseTwilioUrl(opts.uri, this.bases) });
  }
}

export function createTwilioTransport(options: TwilioTransportOptions): Transport {
  const bases = { api: options.apiBaseUrl ?? undefined, content: options.contentBaseUrl ?? undefined };
  const client = twilio(options.accountSid, options.authToken, {
    httpClient: new RebasingRequestClient(bases, options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  });
  const whatsapp = (e164: string) => `whatsapp:${e164}`;

  /**
   * A session reply's quick-reply buttons are a twilio/quick-reply content whose body is the
   * variable {{1}}: created once per distinct set of buttons (per process) and sent by ContentSid
   * with the reply's text as {{1}}. Inside the window WhatsApp needs no approval for it.
   */
  const quickReplies = new Map<string, Promise<string>>();
  function quickReplyContent(buttons: { id: string; title: string }[]): Promise<string> {
    const key = JSON.stringify(buttons.map((b) => [b.id, b.title]));
    let sid = quickReplies.get(key);
    if (!sid) {
      const request = {
        friendly_name: `${QUICK_REPLY_PREFIX}${createHash('sha256').update(key).digest('hex').slice(0, 16)}`,
        language: 'en',
        variables: { '1': 'reply' },
        types: { 'twilio/quick-reply': { body: '{{1}}', actions: buttons.map((b) => ({ title: b.title, id: b.id })) } },
      };
      // Twilio's client sends the object as the JSON body; its TypeScript names differ from the wire's.
      sid = client.content.v1.contents.create(request as never).then((content) => content.sid);
      // A failed creation is tried again on the next send.
      sid.catch(() => quickReplies.delete(key));
      quickReplies.set(key, sid);
    }
    return sid;
  }

  async function templateBody(contentSid: string, variables: Record<string, string>): Promise<string> {
    const content = await client.content.v1.contents(contentSid).fetch();
    const body = bodyOfTypes(content.types) ?? '';
    return fillPlaceholders(body, { ...stringValues(content.variables), ...variables });
  }

  return {
    name: 'twilio',

    async send(msg: OutboundSend): Promise<SendOutcome> {
      // A template goes alone: Twilio refuses Body/MediaUrl next to a ContentSid outside the window.
      try {
        const content = msg.template
          ? { contentSid: msg.template.contentSid, contentVariables: JSON.stringify(msg.template.variables) }
          : msg.buttons?.length
            ? { contentSid: await quickReplyContent(msg.buttons), contentVariables: JSON.stringify({ '1': msg.body ?? '' }) }
            : { body: msg.body, mediaUrl: msg.mediaUrls && msg.mediaUrls.length > 0 ? msg.mediaUrls : undefined };
        const created = await client.messages.create({
          from: whatsapp(msg.from),
          to: whatsapp(msg.to),
          statusCallback: msg.statusCallbackUrl,
          ...content,
        });
        return { kind: 'sent', sid: created.sid, status: outboundStatusFromTwilio(created.status) ?? 'queued' };
      } catch (error) {
        const outcome = outcomeOfError(error);
        options.logger?.warn(
          { messageId: msg.messageId, outcome: outcome.kind, code: outcome.code, httpStatus: httpStatusOf(error) },
          'Twilio did not take the message',
        );
        return outcome;
      }
    },

    /**
     * Resolves null only when Twilio answered and has no such message; rejects when
     * Twilio could not be asked, so the caller never sends twice on a guess.
     */
    async findSent(msg: OutboundSend, since: Date) {
      const expectedBody = msg.template
        ? await templateBody(msg.template.contentSid, msg.template.variables)
        : (msg.body ?? '');
      const expectedMedia = msg.template ? null : (msg.mediaUrls?.length ?? 0);
      // Twilio's dates have whole seconds.
      const notBefore = Math.floor(since.getTime() / 1000) * 1000;
      const candidates = await client.messages.list({
        to: whatsapp(msg.to),
        from: whatsapp(msg.from),
        dateSentAfter: since,
        limit: FIND_SENT_LIMIT,
      });
      const match = candidates
        .filter((m) => m.direction.startsWith('outbound'))
        .filter((m) => (m.dateSent ?? m.dateCreated).getTime() >= notBefore)
        .filter((m) => (m.body ?? '') === expectedBody)
        .filter((m) => expectedMedia === null || Number(m.numMedia ?? '0') === expectedMedia)
        // Listed newest first; the earliest match after `since` is the one our attempt made.
        .at(-1);
      if (!match) return null;
      return { sid: match.sid, status: outboundStatusFromTwilio(match.status) ?? 'queued' };
    },

    async sendTypingIndicator(messageSid: string): Promise<void> {
      await client.messaging.v2.typingIndicator.create({ channel: 'whatsapp', messageId: messageSid });
    },

    async listTemplates(): Promise<MessageTemplate[]> {
      const contents = await client.content.v1.contentAndApprovals.list({ pageSize: 100 });
      return contents
        // The relay's own quick-reply contents (session replies' buttons) are not templates.
        .filter((c) => !c.friendlyName.startsWith(QUICK_REPLY_PREFIX))
        .map((c) => ({
          ...whatsAppApproval(c.approvalRequests),
          contentSid: c.sid,
          name: c.friendlyName,
          language: c.language,
          body: bodyOfTypes(c.types) ?? '',
          variables: Object.entries(stringValues(c.variables))
            .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
            .map(([key, sample]) => ({ key, label: sample, source: null })),
        }));
    },
  };
}

function outcomeOfError(error: unknown): Exclude<SendOutcome, { kind: 'sent' }> {
  if (error instanceof twilio.RestException) {
    const code = typeof error.code === 'number' ? error.code : null;
    const described = describeTwilioError(code, error.status);
    return described.retryable
      ? { kind: 'retry', code, message: described.message }
      : { kind: 'failed', code, message: described.message, windowClosed: described.windowClosed };
  }
  // No answer from Twilio (connection refused or reset, DNS, timeout): it may or may
  // not have taken the message; the outbox checks with findSent before sending again.
  return { kind: 'retry', code: null, message: describeTwilioError(null).message };
}

function httpStatusOf(error: unknown): number | null {
  return error instanceof twilio.RestException ? error.status : null;
}

/**
 * A template's WhatsApp category and approval status, lower case; `unsubmitted` when it was
 * never sent for approval. ContentAndApprovals carries the approval flat; ApprovalRequests
 * nests it under `whatsapp`.
 */
function whatsAppApproval(approvalRequests: Record<string, unknown> | null | undefined): { category?: string; status: string } {
  const nested = approvalRequests?.['whatsapp'];
  const approval = typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>) : (approvalRequests ?? {});
  const text = (v: unknown) => (typeof v === 'string' && v ? v.toLowerCase() : undefined);
  const category = text(approval['category']);
  return { ...(category ? { category } : {}), status: text(approval['status']) ?? 'unsubmitted' };
}

/** Content types that carry the text a template sends, most specific first. */
const BODY_TYPES = ['twilio/text', 'whatsapp/card', 'twilio/media', 'twilio/quick-reply', 'twilio/call-to-action', 'twilio/list-picker'];

function bodyOfTypes(types: Record<string, unknown> | null | undefined): string | null {
  if (!types) return null;
  const ordered = [...BODY_TYPES.filter((t) => t in types), ...Object.keys(types).filter((t) => !BODY_TYPES.includes(t))];
  for (const type of ordered) {
    const value = types[type];
    if (typeof value !== 'object' || value === null) continue;
    const fields = value as Record<string, unknown>;
    if (typeof fields['body'] === 'string') return fields['body'];
    if (typeof fields['title'] === 'string') return fields['title'];
  }
  return null;
}

function stringValues(record: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  return out;
}

function fillPlaceholders(body: string, variables: Record<string, string>): string {
  return body.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (placeholder, key: string) => variables[key] ?? placeholder);
}
