/**
 * Keeps the OpenAPI document true: every agent-API answer a test receives must be documented
 * for its route (status, and for an error the shared `{ error, message }` body). The harness
 * checks each `relay.api(...)` call through this, so an undocumented answer fails the build.
 */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';

interface Operation {
  responses: Record<string, unknown>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

const templateToPattern = (template: string) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);

export function openApiConformance(document: Document) {
  const routes = Object.entries(document.paths).map(([template, operations]) => ({ template, pattern: templateToPattern(template), operations }));
  return (method: string, url: string, response: LightMyRequestResponse): void => {
    const path = url.split('?')[0]!;
    // The most specific template first: `/conversations/{id}/messages` before `/conversations/{id}`.
    const route = routes.filter((r) => r.pattern.test(path)).sort((a, b) => b.template.split('{').length - a.template.split('{').length)[0];
    if (!route) return; // not an API route (404 from the not-found handler)
    const operation = route.operations[method.toLowerCase()];
    assert.ok(operation, `${method} ${route.template} is not in the OpenAPI document`);
    const status = String(response.statusCode);
    assert.ok(status in operation.responses, `${method} ${route.template} answered ${status}, which the OpenAPI document does not list (${Object.keys(operation.responses).join(', ')})`);
    if (response.statusCode >= 400) {
      const body = response.json() as { error?: unknown; message?: unknown };
      assert.equal(typeof body.error, 'string', `${method} ${route.template} ${status}: error body without "error"`);
      assert.equal(typeof body.message, 'string', `${method} ${route.template} ${status}: error body without "message"`);
    }
  };
}
