/**
 * Agent identity from a bearer token. Dev mode: HS256 JWTs signed with AUTH_SECRET
 * (claims sub, name, exp). Entra mode: Entra ID access tokens checked against the
 * tenant's JWKS with jose (issuer, audience, expiry, signature).
 */
import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
export class AuthError extends Error {
    name = 'AuthError';
}
const ISSUER = 'whatsapp-panel-relay';
const SUPERVISOR_ROLES = new Set(['supervisor', 'Supervisor', 'WhatsAppPanel.Supervisor']);
function identityFrom(payload, idClaim) {
    const id = payload[idClaim] ?? payload.sub;
    if (typeof id !== 'string' || !id)
        throw new AuthError('The token names no agent.');
    const name = [payload.name, payload.preferred_username, id].find((v) => typeof v === 'string' && v.length > 0);
    const roles = Array.isArray(payload.roles) ? payload.roles : [];
    return { id, name, role: roles.some((r) => typeof r === 'string' && SUPERVISOR_ROLES.has(r)) ? 'supervisor' : 'agent' };
}
function explain(error) {
    if (error instanceof AuthError)
        return error;
    if (error instanceof joseErrors.JWTExpired)
        return new AuthError('The token has expired.');
    if (error instanceof joseErrors.JWTClaimValidationFailed)
        return new AuthError(`The token's ${error.claim} claim is not accepted.`);
    return new AuthError('The token is not valid.');
}
export function devTokenVerifier(secret) {
    const key = new TextEncoder().encode(secret);
    return async (token) => {
        try {
            const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, requiredClaims: ['sub', 'exp'] });
            return identityFrom(payload, 'sub');
        }
        catch (error) {
            throw explain(error);
        }
    };
}
export async function mintDevToken(secret, agent, ttl = '12h') {
    return new SignJWT({ name: agent.name, roles: agent.role === 'supervisor' ? ['supervisor'] : [] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(agent.id)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(ttl)
        .sign(new TextEncoder().encode(secret));
}
export function entraTokenVerifier(opts) {
    const keys = opts.keys ?? createRemoteJWKSet(new URL(`https://login.microsoftonline.com/${opts.tenantId}/discovery/v2.0/keys`));
    // v2.0 tokens name the tenant in the issuer; v1.0 tokens use sts.windows.net.
    const issuer = [`https://login.microsoftonline.com/${opts.tenantId}/v2.0`, `https://sts.windows.net/${opts.tenantId}/`];
    return async (token) => {
        try {
            const { payload } = await jwtVerify(token, keys, { issuer, audience: opts.audience, algorithms: ['RS256'], requiredClaims: ['exp'] });
            return identityFrom(payload, 'oid');
        }
        catch (error) {
            throw explain(error);
        }
    };
}
//# sourceMappingURL=tokens.js.map