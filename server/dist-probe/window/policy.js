/**
 * WhatsApp's 24-hour customer-service window, as pure functions of stored inbound times
 * and a clock reading. The window opens and re-opens on every inbound customer message
 * and closes 24 h after the most recent one; agent messages never extend it.
 */
export const WINDOW_MS = 24 * 60 * 60 * 1000;
/** Warn the agent in the last hour. */
export const WINDOW_WARNING_MS = 60 * 60 * 1000;
export function windowExpiresAt(lastInboundAt) {
    return lastInboundAt === null ? null : lastInboundAt + WINDOW_MS;
}
export function isWindowOpen(lastInboundAt, now) {
    const expiresAt = windowExpiresAt(lastInboundAt);
    return expiresAt !== null && now < expiresAt;
}
/** The newest inbound time wins; an older (late-delivered) message never shortens the window. */
export function reopenWindow(lastInboundAt, inboundAt) {
    return lastInboundAt === null ? inboundAt : Math.max(lastInboundAt, inboundAt);
}
/** Free-form text and media need an open window; approved templates are always allowed. */
export function decideSend(kind, lastInboundAt, now) {
    if (kind === 'template' || isWindowOpen(lastInboundAt, now))
        return { allowed: true };
    return { allowed: false, reason: 'window_expired' };
}
//# sourceMappingURL=policy.js.map