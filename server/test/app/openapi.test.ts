/** The OpenAPI document is a valid OpenAPI 3 document and lists the answers routes really give. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { openApiConformance } from '../helpers/openapi-conformance.ts';
import { startRelay, type TestRelay } from '../helpers/harness.ts';

describe('OpenAPI document', () => {
  let relay: TestRelay;
  before(async () => {
    relay = await startRelay();
  });
  after(() => relay.close());

  it('validates against the OpenAPI 3 schema', async () => {
    const document = (await relay.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const result = await new Validator().validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  });

  // Integrators read the document without running the relay: docs/openapi.json is generated from
  // the routes (`npm run openapi`) and this check fails when it drifts from what the relay serves.
  it('is published as docs/openapi.json, identical to the served one', async () => {
    const served = `${JSON.stringify((await relay.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json(), null, 2)}\n`;
    const file = new URL('../../../docs/openapi.json', import.meta.url);
    if (process.env.WRITE_OPENAPI === '1') writeFileSync(file, served);
    assert.equal(readFileSync(file, 'utf8'), served, 'docs/openapi.json is out of date: run `npm run openapi`');
  });

  it('documents reject as 204 and the shared error answers on every operation', async () => {
    const document = (await relay.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const reject = document.paths['/api/v1/conversations/{id}/reject'].post.responses;
    assert.ok(reject['204'] && !reject['200']);
    assert.ok(reject['409'] && reject['404']);
    for (const [path, operations] of Object.entries<Record<string, { responses: Record<string, unknown> }>>(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        assert.ok(operation.responses['401'], `${method} ${path} lacks 401`);
      }
    }
  });

  it('fails a test when a route answers a status the document does not list', async () => {
    const document = (await relay.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const check = openApiConformance(document);
    const token = await relay.token('zoe');
    const missing = await relay.app.inject({ method: 'POST', url: '/api/v1/conversations/cv_missing/accept', headers: { authorization: `Bearer ${token}` } });
    assert.equal(missing.statusCode, 404);
    check('POST', '/api/v1/conversations/cv_missing/accept', missing); // documented: passes
    const teapot = { ...missing, statusCode: 418, json: () => ({ error: 'teapot', message: 'no' }) } as typeof missing;
    assert.throws(() => check('POST', '/api/v1/conversations/cv_missing/accept', teapot), /answered 418/);
  });
});
