import { ErrorBody } from '@wcp/protocol';
const error = (description) => ({ ...ErrorBody, description });
export function documentSharedErrors(route) {
    if (!route.schema || route.schema.hide)
        return;
    const response = (route.schema.response ??= {});
    const add = (status, description) => {
        response[status] ??= error(description);
    };
    if (route.schema.body || route.schema.querystring || route.schema.params)
        add(400, 'invalid_request: the request does not match its schema.');
    add(401, 'unauthorized: no valid bearer token.');
    if (route.schema.params)
        add(404, 'not_found: no such item, or not one this agent may see.');
    // Team work: a consultant reads a conversation and adds notes; anything else it tries on it is refused.
    if (route.url.includes('/conversations/:id/') && route.method !== 'GET')
        add(403, 'consult_only: a consultant may read and add notes, not act.');
    add(429, 'Too many requests: retry after the Retry-After header.');
    add(500, 'internal: the relay could not complete the request.');
    add(503, 'The relay cannot reach its store; retry shortly.');
}
//# sourceMappingURL=documented-errors.js.map