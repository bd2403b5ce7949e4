/** The verified agent (the agent API's auth hook runs before any route's preHandler). */
export const perAgent = (request) => (request.agent?.id ? `agent:${request.agent.id}` : `ip:${peerAddress(request)}`);
/** The TCP peer; behind a proxy that is the proxy, so all its clients share one bucket. */
export const peerAddress = (request) => request.socket.remoteAddress ?? request.ip;
//# sourceMappingURL=rate-keys.js.map