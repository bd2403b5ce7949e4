/**
 * Agent identity from a bearer token. Dev mode: HS256 JWTs signed with AUTH_SECRET
 * (claims sub, name, exp). Entra mode: Entra ID access tokens checked against the
 * tenant's JWKS with jose (issuer, audience, expiry, signature), delegated ones only (`scp`).
 */
import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

export interface AgentIdentity {
  id: string;
  name: string;
  role: 'agent' | 'supervisor';
  /** When the token stops being accepted (its `exp`, epoch ms): an event stream opened with it ends then. */
  expiresAt: number;
}

export class AuthError extends Error {
  override name = 'AuthError';
}

export type TokenVerifier = (token: string) => Promise<AgentIdentity>;

const ISSUER = 'whatsapp-panel-relay';
const SUPERVISOR_ROLES = new Set(['supervisor', 'Supervisor', 'WhatsAppPanel.Supervisor']);

function identityFrom(payload: JWTPayload, idClaim: 'sub' | 'oid'): AgentIdentity {
  const id = payload[idClaim] ?? payload.sub;
  if (typeof id !== 'string' || !id) throw new AuthError('The token names no agent.');
  const name = [payload.name, payload.preferred_username, id].find((v): v is string => typeof v === 'string' && v.length > 0)!;
  const roles = Array.isArray(payload.roles) ? payload.roles : [];
  // `exp` is a required claim of both verifiers.
  return { id, name, role: roles.some((r) => typeof r === 'string' && SUPERVISOR_ROLES.has(r)) ? 'supervisor' : 'agent', expiresAt: payload.exp! * 1000 };
}

function explain(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
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

export function entraTokenVerifier(opts: { tenantId: string; audience: string; keys?: JWTVerifyGetKey }): TokenVerifier {
  const keys = opts.keys ?? createRemoteJWKSet(new URL(`https://login.microsoftonline.com/${opts.tenantId}/discovery/v2.0/keys`));
  // v2.0 tokens name the tenant in the issuer; v1.0 tokens use sts.windows.net.
  const issuer = [`https://login.microsoftonline.com/${opts.tenantId}/v2.0`, `https://sts.windows.net/${opts.tenantId}/`];
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, { issuer, audience: opts.audience, algorithms: ['RS256'], requiredClaims: ['exp'] });
      // A person signed in through the panel holds a delegated token (`scp`, the API's permission
      // the admin consented to). An application's own token (client credentials: no `scp`) names
      // no agent, though it passes issuer and audience: any daemon app of the tenant could get one.
      if (typeof payload.scp !== 'string' || payload.scp.trim() === '') throw new AuthError("The token is an application's, not a signed-in agent's (it has no delegated scope).");
      return identityFrom(payload, 'oid');
    } catch (error) {
      throw explain(error);
    }
  };
}
