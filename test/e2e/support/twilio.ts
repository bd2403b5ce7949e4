/**
 * Twilio's side of the relay's webhooks, for e2e tests that run the relay in Twilio mode with
 * the fake Twilio API (support/fake-twilio.ts): webhooks signed the way Twilio signs them
 * (written out here from Twilio's documented algorithm, not the relay's own signer, so the
 * relay's check is tested against it), with the parameter names Twilio posts.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stringify } from 'node:querystring';
import type { FakeTwilioProcess } from './fake-twilio.ts';
import { startRelay, type RelayProcess } from './relay.ts';

/** The business's WhatsApp sender in these tests (TWILIO_WHATSAPP_FROM). */
export const BUSINESS_NUMBER = '+14155550199';

export const twilioSid = (prefix: 'SM' | 'MM' | 'ME') => `${prefix}${randomBytes(16).toString('hex')}`;

/** X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + each parameter name and value, names sorted)). */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, key) => text + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** POSTs a form webhook to the relay at `publicUrl + path`, signed with the account's auth token; returns the HTTP status. */
export async function postWebhook(twilio: Pick<FakeTwilioProcess, 'authToken'>, publicUrl: string, path: string, params: Record<string, string>): Promise<number> {
  const url = `${publicUrl}${path}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(twilio.authToken, url, params) },
    body: stringify(params),
  });
  await response.arrayBuffer();
  return response.status;
}

/** The parameters Twilio posts for an inbound WhatsApp message (its webhook's names), plus `extra`. */
export function inboundParams(twilio: Pick<FakeTwilioProcess, 'accountSid'>, from: string, profileName: string, extra: Record<string, string>): Record<string, string> {
  const sid = extra.MessageSid ?? twilioSid(extra.NumMedia && extra.NumMedia !== '0' ? 'MM' : 'SM');
  return {
    MessageSid: sid,
    SmsSid: sid,
    SmsMessageSid: sid,
    AccountSid: twilio.accountSid,
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

/** A port nothing listens on now: the relay needs its PUBLIC_URL (what webhooks are signed for) before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The built relay in Twilio mode against the fake Twilio, dev auth: its PUBLIC_URL (what
 * webhooks are signed for, `relay.base`) is its own address, so the port is chosen first.
 */
export async function startTwilioModeRelay(dataDir: string, twilio: FakeTwilioProcess): Promise<RelayProcess> {
  const port = await freePort();
  return startRelay({
    dataDir,
    port,
    env: {
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_WHATSAPP_FROM: `whatsapp:${BUSINESS_NUMBER}`,
      TWILIO_API_BASE_URL: twilio.url,
      AUTH_MODE: 'dev',
      AUTH_SECRET: randomBytes(32).toString('hex'),
    },
  });
}
