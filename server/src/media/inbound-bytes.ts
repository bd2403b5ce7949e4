/**
 * Reads a small inbound attachment (a contact card) while the webhook is handled: from the
 * simulated phone in simulator mode, else from Twilio with the account's credentials,
 * capped and with a short timeout. Null when it cannot be read: the message is stored anyway.
 */
import type { AppDeps } from '../deps.ts';
import { fetchTwilioMedia } from './twilio-media.ts';

const TIMEOUT_MS = 5_000;

export async function readInboundMedia(deps: Pick<AppDeps, 'config' | 'simulator'>, url: string, maxBytes: number): Promise<Uint8Array | null> {
  if (deps.simulator) return deps.simulator.mediaBytes(url);
  const twilio = deps.config.twilio;
  if (!twilio) return null;
  const fetched = await fetchTwilioMedia(url, { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.apiBaseUrl, maxBytes, timeoutMs: TIMEOUT_MS });
  if (!fetched.ok) return null;
  try {
    return new Uint8Array(await new Response(fetched.body).arrayBuffer());
  } catch {
    // Over the cap, or the connection dropped mid-body.
    return null;
  }
}
