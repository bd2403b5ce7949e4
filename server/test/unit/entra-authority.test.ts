/**
 * Agents' Entra tokens checked against ENTRA_AUTHORITY_HOST: the signing keys are fetched from
 * it and v2.0 tokens must name it in their issuer (a national cloud's host, or a test's fake
 * over http, as the design's outside tests point it).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { entraTokenVerifier } from '../../src/auth/tokens.ts';

describe('entraTokenVerifier at ENTRA_AUTHORITY_HOST', () => {
  const tenant = randomUUID();
  const audience = 'api://wcp-relay';
  let server: Server;
  let authority = '';
  const asked: string[] = [];
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  before(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      if (req.url === `/${tenant}/discovery/v2.0/keys`) res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    authority = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (issuer: string, exp: string | number = '1h') =>
    new SignJWT({ scp: 'Agent.Access', oid: 'oid-ana', name: 'Ana Fake' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(privateKey);

  it("takes a token signed with the authority's keys and naming it as issuer; refuses the public cloud's issuer there", async () => {
    const verify = entraTokenVerifier({ tenantId: tenant, audience, authorityHost: `${authority}/` });
    const agent = await verify(await sign(`${authority}/${tenant}/v2.0`));
    assert.deepEqual([agent.id, agent.name], ['oid-ana', 'Ana Fake']);
    assert.deepEqual(asked, [`/${tenant}/discovery/v2.0/keys`], 'the keys came from the authority host');
    await assert.rejects(verify(await sign(`https://login.microsoftonline.com/${tenant}/v2.0`)), /iss/);
  });

  it('lasts, for an event stream, as long as it is accepted: a token 100 s past exp (inside the clock skew) is good for 200 s more, not 0', async () => {
    const verify = entraTokenVerifier({ tenantId: tenant, audience, authorityHost: authority });
    const exp = Math.floor(Date.now() / 1000) - 100;
    const agent = await verify(await sign(`${authority}/${tenant}/v2.0`, exp));
    assert.equal(agent.expiresAt, (exp + 300) * 1000, 'a stream ending at exp would end at once, and the panel reconnect with the same token in a loop');
  });
});
