/** Signed Twilio inbound-message webhooks, built the way Twilio sends them. */
import { randomBytes } from 'node:crypto';
import { request as httpRequest, Agent } from 'node:http';
import { signTwilioRequest } from '../../../server/src/twilio/signature.ts';

export const INBOUND_PATH = '/twilio/inbound';
const RUN = randomBytes(8).toString('hex');
let counter = 0;

/** A fresh MessageSid: SM + 32 hex digits, unique within and across runs. */
export function messageSid(): string {
  return `SM${RUN}${(counter++).toString(16).padStart(16, '0')}`;
}

/** E.164 customer number number `i` (+44 7700 9xxxxx, Ofcom's drama range widened). */
export function customerPhone(i: number): string {
  return `+4477${String(7_000_000 + i).padStart(8, '0')}`;
}

export interface SignedWebhook {
  body: string;
  headers: Record<string, string>;
}

export function signedInbound(opts: { authToken: string; publicUrl: string; accountSid: string; from: string; to: string; body: string; sid?: string }): SignedWebhook {
  const sid = opts.sid ?? messageSid();
  const params: Record<string, string> = {
    SmsMessageSid: sid,
    NumMedia: '0',
    ProfileName: 'Bench Customer',
    MessageType: 'text',
    SmsSid: sid,
    WaId: opts.from.slice(1),
    SmsStatus: 'received',
    Body: opts.body,
    To: `whatsapp:${opts.to}`,
    NumSegments: '1',
    ReferralNumMedia: '0',
    MessageSid: sid,
    AccountSid: opts.accountSid,
    From: `whatsapp:${opts.from}`,
    ApiVersion: '2010-04-01',
  };
  const signature = signTwilioRequest(opts.authToken, opts.publicUrl.replace(/\/+$/, '') + INBOUND_PATH, params);
  const body = new URLSearchParams(params).toString();
  return {
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs one webhook; resolves with the status code once the response has ended. */
export function post(base: string, webhook: SignedWebhook, path = INBOUND_PATH, via: Agent = agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { ...webhook.headers, 'content-length': String(Buffer.byteLength(webhook.body)) };
    const req = httpRequest(base + path, { method: 'POST', headers, agent: via }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(webhook.body);
  });
}
