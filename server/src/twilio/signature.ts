/**
 * Twilio webhook signatures (X-Twilio-Signature). Verification is delegated to the
 * `twilio` package's own validator, which already knows Twilio's quirks (the
 * default-port variants, repeated parameters, JSON bodies signed via `bodySHA256`);
 * re-implementing it would be a second place for a subtle bug to live.
 */
// The validator module alone: importing the whole `twilio` package costs ~23 MB of RSS, and in
// simulator mode nothing else needs it.
import { getExpectedTwilioSignature, validateRequest, validateRequestWithBody } from 'twilio/lib/webhooks/webhooks.js';

export type WebhookParams = Record<string, string | string[] | undefined>;

export interface SignedWebhook {
  authToken: string;
  /** The full public URL Twilio called: PUBLIC_URL + path + query string, unnormalised. */
  url: string;
  /** Form parameters of the body (ignored for JSON bodies). */
  params: WebhookParams;
  /** The X-Twilio-Signature header; missing means refused. */
  signature: string | undefined;
  /** The raw body, needed only for JSON bodies (signed through `bodySHA256` in the query). */
  rawBody?: string | Buffer;
  contentType?: string;
}

export function verifyTwilioSignature(request: SignedWebhook): boolean {
  const { authToken, url, signature } = request;
  if (!signature || !authToken) return false;
  try {
    if (isJson(request.contentType) || hasBodyHash(url)) {
      // A JSON body is not part of the signed string; its SHA-256 is, via the URL.
      if (request.rawBody === undefined || !hasBodyHash(url)) return false;
      const body = typeof request.rawBody === 'string' ? request.rawBody : request.rawBody.toString('utf8');
      return validateRequestWithBody(authToken, signature, url, body);
    }
    return validateRequest(authToken, signature, url, definedParams(request.params));
  } catch {
    // The validator parses the URL with `new URL()` on its fallback path; a URL it
    // cannot parse cannot have been signed by Twilio.
    return false;
  }
}

/** The signature Twilio would send for this URL and form parameters (simulator, tests). */
export function signTwilioRequest(authToken: string, url: string, params: WebhookParams): string {
  return getExpectedTwilioSignature(authToken, url, definedParams(params));
}

/**
 * Joins PUBLIC_URL and a request's path-with-query without normalising either part:
 * Twilio signs the exact characters it requested, so `new URL()` (which re-encodes
 * e.g. `'`) must not touch them.
 */
export function publicUrlFor(publicUrl: string, pathWithQuery: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  const path = pathWithQuery.startsWith('/') ? pathWithQuery.replace(/^\/+/, '/') : `/${pathWithQuery}`;
  return base + path;
}

function definedParams(params: WebhookParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/([a-z.+-]*\+)?json\b/i.test(contentType.trim());
}

function hasBodyHash(url: string): boolean {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return false;
  return new URLSearchParams(url.slice(queryStart + 1)).has('bodySHA256');
}
