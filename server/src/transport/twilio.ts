/**
 * The Twilio adapter of the Transport port, on the relay's small REST client
 * (transport/twilio-rest.ts: why not the `twilio` package is written there).
 *
 * Redirecting to a fake: every *.twilio.com URL — api, content, messaging, and Twilio's own
 * absolute paging links — is rebased onto the configured origin just before the request leaves.
 */
import { createHash } from 'node:crypto';
import type { MessageTemplate } from '@wcp/protocol';
import { describeTwilioError } from '../twilio/errors.ts';
import { outboundStatusFromTwilio } from '../twilio/status.ts';
import type { OutboundSend, SendOutcome, Transport, TwilioMessageState } from './port.ts';
import { TwilioApiError, twilioRest } from './twilio-rest.ts';

export { rebaseTwilioUrl } from './twilio-rest.ts';

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
const CLOCK_MARGIN_MS = 5_000;
const CONTENT = 'https://content.twilio.com/v1';

/** The fields of Twilio's resources the relay reads, as they are on the wire (twilio-oai). */
interface MessageResource {
  sid: string;
  status: string;
  direction: string;
  body: string | null;
  num_media: string | null;
  /** RFC 2822, e.g. "Mon, 01 Jun 2026 08:00:00 +0000". */
  date_sent: string | null;
  date_created: string;
  /** Twilio's error code once the message failed or was undelivered (an integer in twilio-oai), else null. */
  error_code: number | null;
  error_message: string | null;
}
interface ContentResource {
  sid: string;
  friendly_name: string;
  language: string;
  variables: Record<string, unknown> | null;
  types: Record<string, unknown> | null;
}
interface ContentAndApprovalsResource extends ContentResource {
  approval_requests: Record<string, unknown> | null;
}

export function createTwilioTransport(options: TwilioTransportOptions): Transport {
  const rest = twilioRest({
    accountSid: options.accountSid,
    authToken: options.authToken,
    bases: { api: options.apiBaseUrl ?? undefined, content: options.contentBaseUrl ?? undefined },
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const messages = `https://api.twilio.com/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
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
      sid = rest.postJson<ContentResource>(`${CONTENT}/Content`, request).then((content) => content.sid);
      // A failed creation is tried again on the next send.
      sid.catch(() => quickReplies.delete(key));
      quickReplies.set(key, sid);
    }
    return sid;
  }

  async function templateBody(contentSid: string, variables: Record<string, string>): Promise<string> {
    const content = await rest.get<ContentResource>(`${CONTENT}/Content/${encodeURIComponent(contentSid)}`);
    const body = bodyOfTypes(content.types) ?? '';
    return fillPlaceholders(body, { ...stringValues(content.variables), ...variables });
  }

  return {
    name: 'twilio',

    async send(msg: OutboundSend): Promise<SendOutcome> {
      // A template goes alone: Twilio refuses Body/MediaUrl next to a ContentSid outside the window.
      try {
        const content = msg.template
          ? { ContentSid: msg.template.contentSid, ContentVariables: JSON.stringify(msg.template.variables) }
          : msg.buttons?.length
            ? { ContentSid: await quickReplyContent(msg.buttons), ContentVariables: JSON.stringify({ '1': msg.body ?? '' }) }
            : { Body: msg.body, MediaUrl: msg.mediaUrls && msg.mediaUrls.length > 0 ? msg.mediaUrls : undefined };
        const created = await rest.postForm<MessageResource>(messages, {
          From: whatsapp(msg.from),
          To: whatsapp(msg.to),
          StatusCallback: msg.statusCallbackUrl,
          ...content,
        });
        return { kind: 'sent', ...messageState(created) };
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
    async findSent(msg: OutboundSend, since: Date, recordedElsewhere: (sid: string) => Promise<boolean> = async () => false) {
      const expectedBody = msg.template
        ? await templateBody(msg.template.contentSid, msg.template.variables)
        : (msg.body ?? '');
      const expectedMedia = msg.template ? null : (msg.mediaUrls?.length ?? 0);
      // Twilio's dates have whole seconds, and its clock is not ours: a few seconds' margin, so a
      // clock ahead of Twilio's does not miss the message and send it twice (a message already
      // another's is skipped below, so the margin cannot claim it twice).
      const notBefore = Math.floor((since.getTime() - CLOCK_MARGIN_MS) / 1000) * 1000;
      const pair = { To: whatsapp(msg.to), From: whatsapp(msg.from), PageSize: String(FIND_SENT_LIMIT) };
      const [sentSince, newest] = await Promise.all([
        // Twilio's filter takes whole seconds, UTC ("DateSent>=" in its docs; the wire key is "DateSent>").
        rest.list<MessageResource>(messages, 'messages', { ...pair, 'DateSent>': new Date(notBefore).toISOString().replace('.000Z', 'Z') }, FIND_SENT_LIMIT),
        // A message Twilio still has queued has no date_sent, so the filter above leaves it out;
        // the pair's newest messages include it (one customer gets nowhere near 100 in the time).
        rest.list<MessageResource>(messages, 'messages', pair, FIND_SENT_LIMIT),
      ]);
      const candidates = [...new Map([...newest, ...sentSince].map((m) => [m.sid, m])).values()]
        // Newest first, as Twilio lists them; created is the one date every message has.
        .sort((a, b) => Date.parse(b.date_created) - Date.parse(a.date_created));
      const matches = candidates
        .filter((m) => m.direction.startsWith('outbound'))
        .filter((m) => Date.parse(m.date_created) >= notBefore)
        .filter((m) => (m.body ?? '') === expectedBody)
        .filter((m) => expectedMedia === null || Number(m.num_media ?? '0') === expectedMedia)
        // Listed newest first; the earliest match after `since` not already another message's is the one our attempt made.
        .reverse();
      for (const match of matches) {
        if (!(await recordedElsewhere(match.sid))) return messageState(match);
      }
      return null;
    },

    async sendTypingIndicator(messageSid: string): Promise<void> {
      await rest.postForm('https://messaging.twilio.com/v2/Indicators/Typing.json', { channel: 'whatsapp', messageId: messageSid });
    },

    async listTemplates(): Promise<MessageTemplate[]> {
      const contents = await rest.list<ContentAndApprovalsResource>(`${CONTENT}/ContentAndApprovals`, 'contents', { PageSize: '100' });
      return contents
        // The relay's own quick-reply contents (session replies' buttons) are not templates.
        .filter((c) => !c.friendly_name.startsWith(QUICK_REPLY_PREFIX))
        .map((c) => ({
          ...whatsAppApproval(c.approval_requests),
          contentSid: c.sid,
          name: c.friendly_name,
          language: c.language,
          body: bodyOfTypes(c.types) ?? '',
          variables: Object.entries(stringValues(c.variables))
            .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
            .map(([key, sample]) => ({ key, label: sample, source: null })),
        }));
    },
  };
}

/** What the relay keeps of a Message resource; the error too, so a send found failed says why (the panel's `error`). */
function messageState(m: MessageResource): TwilioMessageState {
  return {
    sid: m.sid,
    status: outboundStatusFromTwilio(m.status) ?? 'queued',
    errorCode: typeof m.error_code === 'number' ? m.error_code : null,
    errorMessage: typeof m.error_message === 'string' && m.error_message ? m.error_message : null,
  };
}

function outcomeOfError(error: unknown): Exclude<SendOutcome, { kind: 'sent' }> {
  if (error instanceof TwilioApiError) {
    const code = error.code;
    const described = describeTwilioError(code, error.status);
    return described.retryable
      ? { kind: 'retry', code, message: described.message, ...(error.retryAfterMs !== null ? { retryAfterMs: error.retryAfterMs } : {}) }
      : { kind: 'failed', code, message: described.message };
  }
  // No answer from Twilio (connection refused or reset, DNS, timeout): it may or may
  // not have taken the message; the outbox checks with findSent before sending again.
  return { kind: 'retry', code: null, message: describeTwilioError(null).message };
}

function httpStatusOf(error: unknown): number | null {
  return error instanceof TwilioApiError ? error.status : null;
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
