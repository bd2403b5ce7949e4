import { parse as parseQuery } from 'node:querystring';
import { maskPhone } from "../domain/phone.js";
import { twilioCodeLabel } from "../metrics/metrics.js";
import { scoreMessage } from "../sentiment/score.js";
import { readInboundMedia } from "../media/inbound-bytes.js";
import { parseInboundMessage, parseStatusCallback } from "../twilio/inbound.js";
import { inboundContent, isVCard } from "../twilio/whatsapp-content.js";
import { publicUrlFor, verifyTwilioSignature } from "../twilio/signature.js";
/** A contact card is a few kilobytes; more is not one. */
const MAX_VCARD_BYTES = 256 * 1024;
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
export const twilioWebhooks = async (app) => {
    // Keep the raw body (JSON webhooks are signed through its SHA-256) and repeated keys.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
        const raw = String(body);
        done(null, { raw, params: parseQuery(raw) });
    });
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
        const raw = String(body);
        try {
            const parsed = JSON.parse(raw);
            const params = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
            done(null, { raw, params });
        }
        catch {
            done(Object.assign(new Error('The body is not valid JSON.'), { statusCode: 400, code: 'INVALID_REQUEST' }), undefined);
        }
    });
    app.addHook('onRequest', async () => { (globalThis.__pm ??= []).push(['onRequest', process.hrtime.bigint()]); });
    const { deps, metrics } = app.relay;
    // Webhook answers are TwiML read by Twilio, never rendered by a browser: browser security
    // headers mean nothing there (routes/security-headers.ts).
    const webhookRoute = { schema: { hide: true }, config: { securityHeaders: false } };
    function signed(request) {
        const body = (request.body ?? { raw: '', params: {} });
        const header = request.headers['x-twilio-signature'];
        const ok = verifyTwilioSignature({
            authToken: deps.webhookAuthToken,
            url: publicUrlFor(deps.config.publicUrl, request.url),
            params: body.params,
            signature: Array.isArray(header) ? header[0] : header,
            rawBody: body.raw,
            contentType: request.headers['content-type'],
        });
        if (!ok) {
            request.log.warn({ route: request.routeOptions.url, hasSignature: Boolean(header) }, 'refused a webhook with a wrong or missing Twilio signature');
            return null;
        }
        return body;
    }
    /**
     * Every webhook's way in: timed, signature checked before anything else, counted, parsed
     * (a malformed one is a 400 Twilio shows in its debugger), handled, answered with empty TwiML.
     */
    function webhook(kind, parse, handle) {
        return async (request, reply) => {
            const timer = metrics.webhookDuration.startTimer();
            const body = signed(request);
            if (!body)
                return reply.code(403).send({ error: 'invalid_signature', message: 'The X-Twilio-Signature header does not match this request.' });
            metrics.webhooksReceived.inc({ kind });
            const parsed = parse(body.params);
            if (!parsed.ok)
                return reply.code(400).send({ error: 'invalid_webhook', message: parsed.reason });
            await handle(parsed.value, request);
            timer();
            return reply.code(200).type('text/xml').send(EMPTY_TWIML);
        };
    }
    /** The cards of a shared contact (a text/vcard attachment), numbers read in the customer's country; null when none is attached. */
    async function sharedContacts(m) {
        const card = m.media.find((x) => isVCard(x.contentType));
        if (!card)
            return null;
        const bytes = await readInboundMedia(deps, card.url, MAX_VCARD_BYTES);
        if (!bytes)
            return [];
        // Loaded with the first shared contact: libphonenumber's metadata is ~2 MB of heap that a
        // relay which never receives a contact card should not carry (test/bench/README.md, RSS).
        const { parseSharedVCards } = await import("../twilio/vcard.js");
        return parseSharedVCards(new TextDecoder().decode(bytes), m.from);
    }
    /**
     * A new message to the agents' streams as soon as it is committed, while the store makes it
     * durable (Twilio is answered after that): handed straight to this process's streams when
     * the store says which events it wrote; otherwise (or on another instance) the hub is woken
     * to read them.
     */
    function toStreams(receipt) {
        if (receipt.duplicate)
            return;
        if (!(receipt.events && app.relay.hub.offer(receipt.events)))
            app.relay.notify();
    }
    app.post('/twilio/inbound', webhookRoute, webhook('inbound', parseInboundMessage, async (m, request) => {
        const { body: text, whatsapp } = inboundContent(m, await sharedContacts(m));
        const result = await deps.store.recordInboundReceipt({
            messageSid: m.messageSid,
            from: m.from,
            to: m.to,
            body: text,
            profileName: m.profileName,
            waId: m.waId,
            media: m.media,
            originalRepliedMessageSid: m.originalRepliedMessageSid,
            // The customer's own words only (a tapped button's text is theirs; a placeholder is not).
            sentiment: scoreMessage(m.body || m.buttonText || ''),
            whatsapp,
            referral: m.referral,
            receivedAt: deps.clock.now(),
        }, toStreams);
        if (!result.duplicate) {
            if (result.opened) {
                void app.relay.router.kick();
                // The queue's counts changed: told in a unit of its own, coalesced (routing/queue-announcer.ts).
                app.relay.queues.queueChanged(result.queueId);
            }
            request.logFields = { stored: 'inbound message', conversationId: result.conversationId, customer: maskPhone(m.from), media: m.media.length };
        }
    }));
    app.post('/twilio/status', webhookRoute, webhook('status', parseStatusCallback, async (update, request) => {
        const messageId = request.query.messageId;
        const result = await deps.store.applyStatus({
            messageSid: update.messageSid,
            messageId: typeof messageId === 'string' ? messageId : null,
            status: update.status,
            errorCode: update.errorCode,
            errorMessage: update.errorMessage,
            now: deps.clock.now(),
        });
        // As for inbound messages: straight to this process's streams when the store says which events it wrote.
        if (result.applied && !(result.events && app.relay.hub.offer(result.events)))
            app.relay.notify();
        if (update.errorCode)
            metrics.twilioErrors.inc({ code: twilioCodeLabel(update.errorCode) });
    }));
};
//# sourceMappingURL=twilio.js.map