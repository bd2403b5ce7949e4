/** Renew this long before Entra's `expires_in` runs out, so a token never expires mid-request. */
const EARLY_MS = 60_000;
export class TokenError extends Error {
    permanent;
    constructor(message, 
    /** A wrong client id, secret or tenant will not fix itself: do not retry the write. */
    permanent) {
        super(message);
        this.permanent = permanent;
    }
}
export class ClientCredentials {
    config;
    now;
    cached = null;
    constructor(config, now = Date.now) {
        this.config = config;
        this.now = now;
    }
    /** A valid token: the cached one, or a new one. */
    async token() {
        if (this.cached && this.cached.until > this.now())
            return this.cached.token;
        const response = await fetch(`${this.config.authorityHost}/${encodeURIComponent(this.config.tenantId)}/oauth2/v2.0/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
                grant_type: 'client_credentials',
                client_id: this.config.clientId,
                client_secret: this.config.clientSecret,
                scope: `${this.config.url}/.default`,
            }),
            signal: AbortSignal.timeout(15_000),
        });
        const body = (await response.json().catch(() => ({})));
        if (!response.ok || !body.access_token) {
            // Entra's AADSTS text says what is wrong (unknown client, wrong secret, no such tenant); it holds no secret.
            const reason = body.error_description?.split('\n')[0] ?? body.error ?? `HTTP ${response.status}`;
            throw new TokenError(`Entra ID refused the relay's Dataverse credentials: ${reason}`, response.status === 400 || response.status === 401);
        }
        this.cached = { token: body.access_token, until: this.now() + Math.max(0, (body.expires_in ?? 3600) * 1000 - EARLY_MS) };
        return body.access_token;
    }
    /** Dataverse said 401: the cached token is no good; the next call fetches another. */
    forget() {
        this.cached = null;
    }
}
//# sourceMappingURL=token.js.map