/**
 * Twilio webhook signatures (X-Twilio-Signature), written out with node:crypto instead of
 * deep-importing the `twilio` package's private `lib/webhooks/webhooks.js` (a path it does not
 * export, so any release may move it). Twilio's algorithm:
 *   signature = base64(HMAC-SHA1(authToken, url + for each sorted key: key + value))
 * with a repeated key contributing each distinct value, sorted. The quirks Twilio's own
 * validator accepts are kept: the URL with and without its default port (:443/:80), then the
 * URL as `new URL()` normalises it (e.g. a trailing slash after a bare host) and with its query
 * re-encoded the way Node's legacy `querystring` does. JSON bodies are signed through a
 * `bodySHA256` query parameter. test/twilio/signature.test.ts checks this against Twilio's
 * published vectors and against the package's public `validateRequest`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';
export function verifyTwilioSignature(request) {
    const { authToken, url, signature } = request;
    if (!signature || !authToken)
        return false;
    try {
        if (isJson(request.contentType) || hasBodyHash(url)) {
            // A JSON body is not part of the signed string; its SHA-256 is, via the URL.
            if (request.rawBody === undefined || !hasBodyHash(url))
                return false;
            const body = typeof request.rawBody === 'string' ? request.rawBody : request.rawBody.toString('utf8');
            const bodyHash = new URL(url).searchParams.get('bodySHA256') ?? '';
            return validateSignature(authToken, signature, url, {}) && safeEqual(bodyHash, createHash('sha256').update(Buffer.from(body, 'utf8')).digest('hex'));
        }
        return validateSignature(authToken, signature, url, request.params);
    }
    catch {
        // The normalised fallback parses the URL with `new URL()`; a URL it cannot parse
        // cannot have been signed by Twilio.
        return false;
    }
}
/** The signature Twilio would send for this URL and form parameters (simulator, tests). */
export function signTwilioRequest(authToken, url, params) {
    return expectedSignature(authToken, url, signedParams(params));
}
/**
 * The part of the signed string after the URL: each sorted key with each of its distinct
 * values, sorted (a key whose value is undefined is not a parameter). The same for every URL
 * variant tried, so built once per request.
 */
function signedParams(params) {
    return Object.keys(params)
        .filter((key) => params[key] !== undefined)
        .sort()
        .reduce((acc, key) => {
        const value = params[key];
        const values = Array.isArray(value) ? [...new Set(value)].sort() : [value];
        return acc + values.map((v) => key + v).join('');
    }, '');
}
function expectedSignature(authToken, url, signedParams) {
    return createHmac('sha1', authToken).update(url + signedParams, 'utf8').digest('base64');
}
function validateSignature(authToken, signature, url, params) {
    const suffix = signedParams(params);
    const matches = (candidate) => safeEqual(signature, expectedSignature(authToken, candidate, suffix));
    // The URL as received first: it is what Twilio signs when PUBLIC_URL is what Twilio calls
    // (one HMAC per genuine webhook), and `new URL()` re-encodes characters (e.g. `'`) Twilio
    // signed raw. Then the same URL with its default port added or removed: removePort/addPort
    // return the URL unchanged when it has none/one, so one of them repeats it and is skipped.
    if (matches(url))
        return true;
    const withoutItsPort = removePort(url);
    const otherPortForm = withoutItsPort === url ? addPort(url) : withoutItsPort;
    if (otherPortForm !== url && matches(otherPortForm))
        return true;
    const normalised = new URL(url).toString();
    const withoutPort = removePort(normalised);
    const withPort = addPort(normalised);
    return [withoutPort, withPort, withLegacyQuery(withoutPort), withLegacyQuery(withPort)].some(matches);
}
function safeEqual(a, b) {
    const left = Buffer.from(a);
    const right = Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
}
/** Splits a URL without normalising it; null without a `scheme://` prefix. */
function splitUrl(url) {
    const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
    if (!match)
        return null;
    const [prefix, scheme, authority] = match;
    const userInfoEnd = authority.lastIndexOf('@');
    const hostAndPort = authority.slice(userInfoEnd + 1);
    // A colon starts the port only after the closing bracket of an IPv6 literal.
    const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
    return {
        scheme,
        userInfo: authority.slice(0, userInfoEnd + 1),
        host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
        port: portStart === -1 ? '' : hostAndPort.slice(portStart),
        rest: url.slice(prefix.length),
    };
}
function addPort(url) {
    const parts = splitUrl(url);
    if (!parts || parts.port)
        return url;
    const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
    return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}
function removePort(url) {
    const parts = splitUrl(url);
    if (!parts)
        return url;
    return parts.scheme + parts.userInfo + parts.host + parts.rest;
}
/** The query re-encoded as Node's legacy `querystring` does (some back ends signed `%27` for `'`). */
function withLegacyQuery(url) {
    const queryStart = url.indexOf('?');
    if (queryStart === -1 || queryStart === url.length - 1)
        return url;
    return url.slice(0, queryStart) + '?' + stringifyQuery(parseQuery(url.slice(queryStart + 1)));
}
/**
 * Joins PUBLIC_URL and a request's path-with-query without normalising either part:
 * Twilio signs the exact characters it requested, so `new URL()` (which re-encodes
 * e.g. `'`) must not touch them.
 */
export function publicUrlFor(publicUrl, pathWithQuery) {
    const base = publicUrl.replace(/\/+$/, '');
    const path = pathWithQuery.startsWith('/') ? pathWithQuery.replace(/^\/+/, '/') : `/${pathWithQuery}`;
    return base + path;
}
function isJson(contentType) {
    return contentType !== undefined && /^application\/([a-z.+-]*\+)?json\b/i.test(contentType.trim());
}
function hasBodyHash(url) {
    const queryStart = url.indexOf('?');
    if (queryStart === -1)
        return false;
    return new URLSearchParams(url.slice(queryStart + 1)).has('bodySHA256');
}
//# sourceMappingURL=signature.js.map