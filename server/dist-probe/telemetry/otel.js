/**
 * OpenTelemetry, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (main.ts imports this
 * module then, and only then): the Node SDK exporting traces over OTLP/HTTP, Fastify's own
 * instrumentation (@fastify/otel) for the request spans, and the relay's named spans
 * (telemetry/spans.ts) — a webhook through the store to the SSE write, a reply from the API
 * through the outbox to Twilio. Started before the Fastify instance is created, so
 * @fastify/otel registers itself on it.
 */
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { installTracer } from "./spans.js";
/** Contexts of replies queued here and not yet sent; bounded, as a send may never come (another instance). */
const MAX_REMEMBERED = 10_000;
export async function startTracing(endpoint) {
    const sdk = new NodeSDK({
        serviceName: 'wcp-relay',
        traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
        instrumentations: [new FastifyOtelInstrumentation({ registerOnInitialization: true })],
    });
    sdk.start();
    const tracer = trace.getTracer('wcp-relay');
    const remembered = new Map();
    installTracer({
        inSpan(name, attributes, work, follows) {
            const parent = (follows && remembered.get(follows)) || context.active();
            if (follows)
                remembered.delete(follows);
            return tracer.startActiveSpan(name, { attributes }, parent, (span) => {
                const fail = (error) => {
                    span.recordException(error);
                    span.setStatus({ code: SpanStatusCode.ERROR });
                    span.end();
                    throw error;
                };
                try {
                    const result = work();
                    if (result instanceof Promise) {
                        return result.then((value) => {
                            span.end();
                            return value;
                        }, fail);
                    }
                    span.end();
                    return result;
                }
                catch (error) {
                    return fail(error);
                }
            });
        },
        remember(key) {
            if (remembered.size >= MAX_REMEMBERED)
                remembered.delete(remembered.keys().next().value);
            remembered.set(key, context.active());
        },
    });
    return { stop: () => sdk.shutdown() };
}
//# sourceMappingURL=otel.js.map