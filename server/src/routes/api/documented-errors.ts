/**
 * Every status an agent-API route can answer is in the OpenAPI document (a client generated
 * from it, or a validating proxy, must not treat a correct answer as an error). The answers
 * every route shares are added here, once; a route lists only the rule-specific ones
 * (409, 422, …) in its own schema.
 */
import type { RouteOptions } from 'fastify';
import { ErrorBody } from '@wcp/protocol';

const error = (description: string) => ({ ...ErrorBody, description });

export function documentSharedErrors(route: RouteOptions): void {
  if (!route.schema || route.schema.hide) return;
  const response = (route.schema.response ??= {}) as Record<string, unknown>;
  const add = (status: number, description: string) => {
    response[status] ??= error(description);
  };
  if (route.schema.body || route.schema.querystring || route.schema.params) add(400, 'invalid_request: the request does not match its schema.');
  if (route.schema.body) add(413, 'body_too_large: the body is over 1 MB.');
  add(401, 'unauthorized: no valid bearer token.');
  if (route.schema.params) add(404, 'not_found: no such item, or not one this agent may see.');
  // Team work: a consultant reads a conversation and adds notes; anything else it tries on it is refused.
  if (route.url.includes('/conversations/:id/') && route.method !== 'GET') add(403, 'consult_only: a consultant may read and add notes, not act.');
  add(429, 'Too many requests: retry after the Retry-After header.');
  add(500, 'internal: the relay could not complete the request.');
  add(503, 'store_unavailable or auth_unavailable: the relay cannot reach its store, or the keys that check sign-ins; retry shortly.');
}
