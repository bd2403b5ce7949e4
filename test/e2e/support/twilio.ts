/**
 * Twilio as the relay meets it in production, for e2e tests that need to be Twilio: webhooks
 * signed the way Twilio signs them (written out here from Twilio's documented algorithm, not
 * the relay's own signer, so the relay's check is tested against it), and a tiny local Twilio
 * API (TWILIO_API_BASE_URL) that accepts sends and serves inbound media.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stringify } from 'node:querystring';

export const ACCOUNT_SID = `AC${'e2'.repeat(16)}`;
export const AUTH_TOKEN = 'e2e-twilio-auth-token-0123456789ab';
export const BUSINESS_NUMBER = '+14155550199';

export const twilioSid = (prefix: 'SM' | 'MM' | 'ME') => `${prefix}${randomBytes(16).toString('hex')}`;

/** X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + each parameter name and value, names sorted)). */
export function twilioSignature(url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, key) => text + key + params[key], url);
  return createHmac('sha1', AUTH_TOKEN).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** POSTs a form webhook to the relay at `publicUrl + path`, signed; returns the HTTP status. */
export async function postWebhook(publicUrl: string, path: string, params: Record<string, string>): Promise<number> {
  const url = `${publicUrl}${path}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(url, params) },
    body: stringify(params),
  });
  await response.arrayBuffer();
  return response.status;
}

/** The parameters Twilio posts for an inbound WhatsApp message (its webhook's names), plus `extra`. */
export function inboundParams(from: string, profileName: string, extra: Record<string, string>): Record<string, string> {
  const sid = extra.MessageSid ?? twilioSid(extra.NumMedia && extra.NumMedia !== '0' ? 'MM' : 'SM');
  return {
    MessageSid: sid,
    SmsSid: sid,
    SmsMessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: `whatsapp:${from}`,
    To: `whatsapp:${BUSINESS_NUMBER}`,
    Body: '',
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
    ProfileName: profileName,
    WaId: from.slice(1),
    MessageType: 'text',
    ...extra,
  };
}

export interface FakeTwilio {
  readonly base: string;
  /** A media URL of this account that the fake serves with these bytes. */
  media(contentType: string, bytes: Uint8Array | string): string;
  /** The messages the relay sent: the form it posted and the sid the fake gave it. */
  readonly sent: { form: Record<string, string>; sid: string }[];
  close(): Promise<void>;
}

/** Twilio's REST API, just enough for sends (Messages.json) and inbound media; anything else is 404. */
export async function startFakeTwilio(): Promise<FakeTwilio> {
  const media = new Map<string, { contentType: string; bytes: Buffer }>();
  const sent: { form: Record<string, string>; sid: string }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://fake').pathname;
      const file = media.get(path);
      if (request.method === 'GET' && file) {
        response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
        response.end(file.bytes);
        return;
      }
      if (request.method === 'POST' && path === `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`) {
        const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        const sid = twilioSid('SM');
        sent.push({ form, sid });
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            sid,
            account_sid: ACCOUNT_SID,
            to: form.To,
            from: form.From,
            body: form.Body ?? '',
            status: 'queued',
            num_media: '0',
            num_segments: '1',
            direction: 'outbound-api',
            api_version: '2010-04-01',
            error_code: null,
            error_message: null,
            date_created: new Date().toUTCString(),
            uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}.json`,
          }),
        );
        return;
      }
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 20404, message: 'The requested resource was not found', status: 404 }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    sent,
    media(contentType, bytes) {
      const path = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${twilioSid('MM')}/Media/${twilioSid('ME')}`;
      media.set(path, { contentType, bytes: Buffer.from(bytes) });
      return `${base}${path}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on now: the relay needs its PUBLIC_URL (what webhooks are signed for) before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
