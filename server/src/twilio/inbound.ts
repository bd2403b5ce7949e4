/**
 * Parsing of Twilio's webhook form parameters into domain values. Field names are
 * Twilio's (incoming-message webhook and Message status callback); nothing here does
 * I/O, and bad input comes back as a reason, never a throw.
 */
import type { MessageLocation, Referral } from '@wcp/protocol';
import type { WebhookParams } from './signature.ts';
import { outboundStatusFromTwilio, type OutboundStatus } from './status.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface InboundMedia {
  /** Twilio's media URL; fetching it needs the account's credentials. */
  url: string;
  contentType: string;
}

export interface InboundMessage {
  messageSid: string;
  accountSid: string;
  /** The customer, E.164 without the `whatsapp:` prefix. */
  from: string;
  /** The business number, E.164. */
  to: string;
  body: string;
  profileName: string | null;
  waId: string | null;
  media: InboundMedia[];
  /** Set when the customer replied to (quoted) one of our messages. */
  originalRepliedMessageSid: string | null;
  /** Set when the customer tapped a quick-reply button of a template. */
  buttonPayload: string | null;
  buttonText: string | null;
  /** Twilio's MessageType (text, image, location, button, reaction, …); null when not sent. */
  messageType: string | null;
  /** Latitude and Longitude (and Address, Label when sent): a shared location. */
  location: MessageLocation | null;
  /** Forwarded or FrequentlyForwarded. */
  forwarded: boolean;
  /** Referral* parameters: the customer came from a Click-to-WhatsApp ad. */
  referral: Referral | null;
  /** Every single-valued parameter as received (kept for what the panel cannot show). */
  raw: Record<string, string>;
}

export interface StatusCallback {
  messageSid: string;
  status: OutboundStatus;
  errorCode: number | null;
  errorMessage: string | null;
  to: string | null;
  from: string | null;
}

/** WhatsApp caps a text message at 4096 characters; leave room for Twilio's own limits. */
export const MAX_INBOUND_BODY_CHARS = 4096 * 4;
/** Twilio delivers at most 10 media items per message. */
export const MAX_INBOUND_MEDIA = 10;

const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const WHATSAPP_ADDRESS = /^whatsapp:(\+[1-9]\d{1,14})$/;

export function parseInboundMessage(params: WebhookParams): Parsed<InboundMessage> {
  const messageSid = single(params, 'MessageSid');
  if (!messageSid.ok) return messageSid;
  if (!messageSid.value) return refuse('MessageSid is missing');
  if (!MESSAGE_SID.test(messageSid.value)) return refuse('MessageSid is not SM/MM followed by 32 hex digits');

  const accountSid = single(params, 'AccountSid');
  if (!accountSid.ok) return accountSid;
  if (!accountSid.value || !ACCOUNT_SID.test(accountSid.value)) {
    return refuse('AccountSid is missing or not AC followed by 32 hex digits');
  }

  const from = whatsappAddress(params, 'From');
  if (!from.ok) return from;
  const to = whatsappAddress(params, 'To');
  if (!to.ok) return to;

  const body = single(params, 'Body');
  if (!body.ok) return body;
  if ((body.value?.length ?? 0) > MAX_INBOUND_BODY_CHARS) {
    return refuse(`Body is longer than ${MAX_INBOUND_BODY_CHARS} characters`);
  }

  const media = parseMedia(params);
  if (!media.ok) return media;

  const optional = readOptional(params, [
    'ProfileName',
    'WaId',
    'OriginalRepliedMessageSid',
    'ButtonPayload',
    'ButtonText',
    'MessageType',
    'Forwarded',
    'FrequentlyForwarded',
    'ReferralSourceType',
    'ReferralSourceUrl',
    'ReferralHeadline',
    'ReferralBody',
    'ReferralCtwaClid',
  ]);
  if (!optional.ok) return optional;
  const { ProfileName, WaId, OriginalRepliedMessageSid, ButtonPayload, ButtonText, MessageType, Forwarded, FrequentlyForwarded } = optional.value;
  const v = optional.value;

  const location = parseLocation(params);
  if (!location.ok) return location;
  const referral = { sourceType: v.ReferralSourceType, sourceUrl: v.ReferralSourceUrl, headline: v.ReferralHeadline, body: v.ReferralBody, ctwaClid: v.ReferralCtwaClid };

  return {
    ok: true,
    value: {
      messageSid: messageSid.value,
      accountSid: accountSid.value,
      from: from.value,
      to: to.value,
      body: body.value ?? '',
      profileName: ProfileName,
      waId: WaId,
      media: media.value,
      originalRepliedMessageSid: OriginalRepliedMessageSid,
      buttonPayload: ButtonPayload,
      buttonText: ButtonText,
      messageType: MessageType,
      location: location.value,
      forwarded: Forwarded === 'true' || FrequentlyForwarded === 'true',
      referral: Object.values(referral).some((x) => x !== null) ? referral : null,
      // Read only for a message the panel cannot show (whatsapp-content.ts): copied then, not for every webhook.
      get raw() {
        return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string'));
      },
    },
  };
}

/** A shared location: Latitude and Longitude in range, or neither. */
function parseLocation(params: WebhookParams): Parsed<MessageLocation | null> {
  const fields = readOptional(params, ['Latitude', 'Longitude', 'Address', 'Label']);
  if (!fields.ok) return fields;
  const { Latitude, Longitude, Address, Label } = fields.value;
  if (Latitude === null && Longitude === null) return { ok: true, value: null };
  const latitude = Number(Latitude);
  const longitude = Number(Longitude);
  if (Latitude === null || Longitude === null || !Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
    return refuse('Latitude and Longitude must both be numbers in range');
  }
  return { ok: true, value: { latitude, longitude, address: Address, label: Label } };
}

export function parseStatusCallback(params: WebhookParams): Parsed<StatusCallback> {
  const messageSid = single(params, 'MessageSid');
  if (!messageSid.ok) return messageSid;
  if (!messageSid.value) return refuse('MessageSid is missing');
  if (!MESSAGE_SID.test(messageSid.value)) return refuse('MessageSid is not SM/MM followed by 32 hex digits');

  // Older callbacks carry the same value as SmsStatus only.
  const rawStatus = single(params, params['MessageStatus'] !== undefined ? 'MessageStatus' : 'SmsStatus');
  if (!rawStatus.ok) return rawStatus;
  if (!rawStatus.value) return refuse('MessageStatus is missing');
  const status = outboundStatusFromTwilio(rawStatus.value);
  if (status === null) return refuse(`MessageStatus "${rawStatus.value}" is not an outbound message status`);

  const errorCode = single(params, 'ErrorCode');
  if (!errorCode.ok) return errorCode;
  let code: number | null = null;
  if (errorCode.value) {
    if (!/^\d{1,6}$/.test(errorCode.value)) return refuse('ErrorCode is not a number');
    code = Number(errorCode.value);
  }

  const errorMessage = readOptional(params, ['ErrorMessage']);
  if (!errorMessage.ok) return errorMessage;
  const to = optionalAddress(params, 'To');
  if (!to.ok) return to;
  const from = optionalAddress(params, 'From');
  if (!from.ok) return from;

  return {
    ok: true,
    value: { messageSid: messageSid.value, status, errorCode: code, errorMessage: errorMessage.value.ErrorMessage, to: to.value, from: from.value },
  };
}

function parseMedia(params: WebhookParams): Parsed<InboundMedia[]> {
  const numMedia = single(params, 'NumMedia');
  if (!numMedia.ok) return numMedia;
  const raw = numMedia.value ?? '0';
  if (!/^\d{1,2}$/.test(raw) || Number(raw) > MAX_INBOUND_MEDIA) {
    return refuse(`NumMedia must be an integer from 0 to ${MAX_INBOUND_MEDIA}`);
  }
  const media: InboundMedia[] = [];
  for (let n = 0; n < Number(raw); n += 1) {
    const url = single(params, `MediaUrl${n}`);
    if (!url.ok) return url;
    const contentType = single(params, `MediaContentType${n}`);
    if (!contentType.ok) return contentType;
    if (!url.value || !contentType.value) {
      return refuse(`MediaUrl${n} and MediaContentType${n} are required when NumMedia is ${raw}`);
    }
    if (!/^https?:\/\//i.test(url.value)) return refuse(`MediaUrl${n} is not an http(s) URL`);
    media.push({ url: url.value, contentType: contentType.value });
  }
  return { ok: true, value: media };
}

function whatsappAddress(params: WebhookParams, name: string): Parsed<string> {
  const raw = single(params, name);
  if (!raw.ok) return raw;
  if (!raw.value) return refuse(`${name} is missing`);
  const match = WHATSAPP_ADDRESS.exec(raw.value);
  if (!match?.[1]) return refuse(`${name} is not a whatsapp:+E.164 address`);
  return { ok: true, value: match[1] };
}

/** Status callbacks sometimes omit To/From; when present they must be well formed. */
function optionalAddress(params: WebhookParams, name: string): Parsed<string | null> {
  const raw = single(params, name);
  if (!raw.ok) return raw;
  if (!raw.value) return { ok: true, value: null };
  const address = raw.value.startsWith('whatsapp:') ? raw.value.slice('whatsapp:'.length) : raw.value;
  if (!E164.test(address)) return refuse(`${name} is not a whatsapp:+E.164 address`);
  return { ok: true, value: address };
}

/** Optional text fields; absent or empty becomes null. */
function readOptional<K extends string>(params: WebhookParams, names: readonly K[]): Parsed<Record<K, string | null>> {
  const values = {} as Record<K, string | null>;
  for (const name of names) {
    const value = single(params, name);
    if (!value.ok) return value;
    values[name] = value.value ? value.value : null;
  }
  return { ok: true, value: values };
}

/** Twilio sends each of these fields once; a repeated one is not a Twilio request. */
function single(params: WebhookParams, name: string): Parsed<string | undefined> {
  const value = params[name];
  if (Array.isArray(value)) return refuse(`${name} appears more than once`);
  return { ok: true, value };
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
