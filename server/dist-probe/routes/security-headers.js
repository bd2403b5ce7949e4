/**
 * Browser security headers (Helmet's) on every response, from middleware built once at start.
 *
 * @fastify/helmet 13 called `helmet(config)` — parsing the CSP directives, building a dozen
 * middleware closures — on every request it handled (11–14 µs against 0.4–0.8 µs built once)
 * and left a new CSP string on every response; its async hook ran even on routes that opted out.
 * Here one synchronous `onRequest` hook applies one of the middlewares built below.
 *
 * A route chooses with `config.securityHeaders`:
 * - unset: `document`, the full set (CSP, COOP, CORP, HSTS, X-Frame-Options, nosniff, ...);
 * - `'stream'`: the agent's event stream (routes/api/events.ts) — nosniff and CORP only. Its
 *   answers are text/event-stream or a JSON error, neither rendered as a page, and events flow only
 *   to a request carrying `Authorization: Bearer` (no cookie, no query token), which a framing or
 *   navigating page cannot attach: the drag-and-drop clickjacking OWASP's REST Security Cheat Sheet
 *   keeps frame-ancestors / X-Frame-Options on API responses for cannot reach an agent's events
 *   (a framed request gets the 401, which holds nothing). Node keeps each response's header block
 *   for the stream's lifetime (`ServerResponse._header`), so each header here is held once per
 *   connected agent (~2.3 KB of the ~7 KB a stream costs was this block with the full set);
 * - `false`: none — for callers that are not browsers (Twilio's webhooks, Prometheus's scrape).
 */
import helmet, {} from 'helmet';
/** `frameAncestors`: the origins (besides the relay's own) allowed to frame its pages — the CRM's. */
export function documentHeaderOptions(frameAncestors) {
    return {
        contentSecurityPolicy: {
            directives: {
                defaultSrc: ["'self'"],
                scriptSrc: ["'self'"],
                styleSrc: ["'self'", "'unsafe-inline'"],
                imgSrc: ["'self'", 'blob:', 'data:'],
                mediaSrc: ["'self'", 'blob:'],
                connectSrc: ["'self'"],
                frameAncestors: ["'self'", ...frameAncestors],
                objectSrc: ["'none'"],
            },
        },
        crossOriginResourcePolicy: { policy: 'same-site' },
    };
}
/** Only what a non-document response needs: no MIME sniffing, not readable cross-site. */
const STREAM_HEADER_OPTIONS = {
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-site' },
    originAgentCluster: false,
    referrerPolicy: false,
    strictTransportSecurity: false,
    xContentTypeOptions: true,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: false,
    xPermittedCrossDomainPolicies: false,
    xPoweredBy: false,
    xXssProtection: false,
};
/** Adds the hook to `app` (the root instance, before any route, so it covers every route). */
export function addSecurityHeaders(app, frameAncestors) {
    const middleware = {
        document: helmet(documentHeaderOptions(frameAncestors)),
        stream: helmet(STREAM_HEADER_OPTIONS),
    };
    app.addHook('onRequest', function securityHeaders(request, reply, done) {
        const kind = request.routeOptions.config.securityHeaders ?? 'document';
        if (kind === false)
            return done();
        // Helmet's middleware passes `next` an Error or nothing (and an error only for CSP directives
        // computed per request, which these have none of).
        middleware[kind](request.raw, reply.raw, done);
    });
}
//# sourceMappingURL=security-headers.js.map