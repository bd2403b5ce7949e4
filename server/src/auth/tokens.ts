/**
 * Agent identity from a bearer token. Dev mode: HS256 JWTs signed with AUTH_SECRET
 * (claims sub, name, exp). Entra mode: Entra ID access tokens checked against the
 * tenant's JWKS with jose (issuer, audience, expiry, signature), delegated ones only (`scp`).
 */
import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ENTRA_PUBLIC_CLOUD } from '../config.ts';

export interface AgentIdentity {
  id: string;
  name: string;
  role: 'agent' | 'supervisor';
  /** When the token stops being accepted (its `exp`, plus the clock skew an Entra token is allowed; epoch ms): an event stream opened with it ends then. */
  expiresAt: number;
}

export class AuthError extends Error {
  override name = 'AuthError';
}

/** The token could not be checked at all (Entra's keys unreachable): not the agent's fault, retried shortly (503). */
export class AuthUnavailableError extends Error {
  override name = 'AuthUnavailableError';
}

export type TokenVerifier = (token: string) => Promise<AgentIdentity>;

const ISSUER = 'whatsapp-panel-relay';
const SUPERVISOR_ROLES = new Set(['supervisor', 'Supervisor', 'WhatsAppPanel.Supervisor']);

/** `toleranceS`: how long past `exp` the verifier still takes the token; the identity lasts as long (an event stream ends then). */
function identityFrom(payload: JWTPayload, idClaim: 'sub' | 'oid', toleranceS = 0): AgentIdentity {
  const id = payload[idClaim] ?? payload.sub;
  if (typeof id !== 'string' || !id) throw new AuthError('The token names no agent.');
  const name = [payload.name, payload.preferred_username, id].find((v): v is string => typeof v === 'string' && v.length > 0)!;
  const roles = Array.isArray(payload.roles) ? payload.roles : [];
  // `exp` is a required claim of both verifiers.
  return { id, name, role: roles.some((r) => typeof r === 'string' && SUPERVISOR_ROLES.has(r)) ? 'supervisor' : 'agent', expiresAt: (payload.exp! + toleranceS) * 1000 };
}

function explain(error: unknown): AuthError | AuthUnavailableError {
  if (error instanceof AuthError || error instanceof AuthUnavailableError) return error;
  if (error instanceof joseErrors.JWTExpired) return new AuthError('The token has expired.');
  if (error instanceof joseErrors.JWTClaimValidationFailed) return new AuthError(`The token's ${error.claim} claim is not accepted.`);
  return new AuthError('The token is not valid.');
}

export function devTokenVerifier(secret: string): TokenVerifier {
  const key = new TextEncoder().encode(secret);
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, requiredClaims: ['sub', 'exp'] });
      return identityFrom(payload, 'sub');
    } catch (error) {
      throw explain(error);
    }
  };
}

export async function mintDevToken(secret: string, agent: { id: string; name: string; role?: AgentIdentity['role'] }, ttl = '12h'): Promise<string> {
  return new SignJWT({ name: agent.name, roles: agent.role === 'supervisor' ? ['supervisor'] : [] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(agent.id)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(secret));
}

/** After Entra's key endpoint failed, the keys kept are used this long before it is asked again. */
const KEYS_RETRY_AFTER_MS = 30_000;

/** What the key set itself says about a token (no key with its `kid`, an unusable key): the token's fault. */
function isTokenFault(error: unknown): boolean {
  return error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys || error instanceof joseErrors.JOSENotSupported;
}

/**
 * The tenant's signing keys, kept through an outage of Entra's key endpoint. jose refreshes its
 * copy every 10 minutes and fails the token when that refresh fails: every agent was then
 * refused as if signed out (401 — the panel drops its queued replies) for as long as Entra's
 * endpoint, or the relay's way to it, was down, each request waiting on the endpoint's timeout.
 * Entra publishes a key weeks before signing with it and keeps it weeks after, so a key fetched
 * earlier stays good: it is used until the endpoint answers again (asked at most every 30 s),
 * and a key id never fetched is a 503 (unknown, not refused).
 */
function keptThroughOutages(keys: JWTVerifyGetKey, now: () => number = Date.now): JWTVerifyGetKey {
  const kept = new Map<string, Awaited<ReturnType<JWTVerifyGetKey>>>();
  let retryAt = 0;
  return async (header, token) => {
    const known = header.kid === undefined ? undefined : kept.get(header.kid);
    if (known && now() < retryAt) return known;
    try {
      const key = await keys(header, token);
      if (header.kid !== undefined) kept.set(header.kid, key);
      return key;
    } catch (error) {
      if (isTokenFault(error)) {
        // The endpoint answered without this key: Entra retired it.
        if (header.kid !== undefined) kept.delete(header.kid);
        throw error;
      }
      retryAt = now() + KEYS_RETRY_AFTER_MS;
      if (known) return known;
      throw new AuthUnavailableError("The relay cannot reach Entra ID's signing keys to check the sign-in; try again shortly.");
    }
  };
}

/**
 * How far the relay's clock and Entra's may disagree on a token's `exp` and `nbf`: Microsoft's own
 * token validation allows 5 minutes (Microsoft.IdentityModel's ClockSkew). With none, a relay
 * whose clock runs a minute fast refuses every token in its last minute with 401, and the panel
 * drops the agent's queued replies on a 401.
 */
const ENTRA_CLOCK_SKEW_S = 300;

/**
 * `authorityHost`: Entra's sign-in host (ENTRA_AUTHORITY_HOST): the signing keys come from it and
 * v2.0 tokens name it in their issuer; the public cloud's by default.
 */
export function entraTokenVerifier(opts: { tenantId: string; audience: string; authorityHost?: string; keys?: JWTVerifyGetKey }): TokenVerifier {
  const authority = (opts.authorityHost ?? ENTRA_PUBLIC_CLOUD).replace(/\/+$/, '');
  const keys = keptThroughOutages(opts.keys ?? createRemoteJWKSet(new URL(`${authority}/${opts.tenantId}/discovery/v2.0/keys`)));
  // v2.0 tokens name the tenant in the issuer; v1.0 tokens use sts.windows.net.
  const issuer = [`${authority}/${opts.tenantId}/v2.0`, `https://sts.windows.net/${opts.tenantId}/`];
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, { issuer, audience: opts.audience, algorithms: ['RS256'], requiredClaims: ['exp'], clockTolerance: ENTRA_CLOCK_SKEW_S });
      // A person signed in through the panel holds a delegated token (`scp`, the API's permission
      // the admin consented to). An application's own token (client credentials: no `scp`) names
      // no agent, though it passes issuer and audience: any daemon app of the tenant could get one.
      if (typeof payload.scp !== 'string' || payload.scp.trim() === '') throw new AuthError("The token is an application's, not a signed-in agent's (it has no delegated scope).");
      return identityFrom(payload, 'oid', ENTRA_CLOCK_SKEW_S);
    } catch (error) {
      throw explain(error);
    }
  };
}
