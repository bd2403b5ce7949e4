/**
 * OpenTelemetry, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (main.ts imports this
 * module then, and only then): the Node SDK exporting traces over OTLP/HTTP, Fastify's own
 * instrumentation (@fastify/otel) for the request spans, and the relay's named spans
 * (telemetry/spans.ts) — a webhook through the store to the SSE write, a reply from the API
 * through the outbox to Twilio. Started before the Fastify instance is created, so
 * @fastify/otel registers itself on it.
 */
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { context, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { installTracer, type SpanAttributes } from './spans.ts';

/** Contexts of replies queued here and not yet sent; bounded, as a send may never come (another instance). */
const MAX_REMEMBERED = 10_000;

export async function startTracing(endpoint: string): Promise<{ stop(): Promise<void> }> {
  const sdk = new NodeSDK({
    serviceName: 'wcp-relay',
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
    instrumentations: [new FastifyOtelInstrumentation({ registerOnInitialization: true })],
  });
  sdk.start();
  const tracer = trace.getTracer('wcp-relay');
  const remembered = new Map<string, Context>();

  installTracer({
    inSpan(name: string, attributes: SpanAttributes, work: () => unknown, follows?: string) {
      const parent = (follows && remembered.get(follows)) || context.active();
      if (follows) remembered.delete(follows);
      return tracer.startActiveSpan(name, { attributes }, parent, (span) => {
        const fail = (error: unknown) => {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          throw error;
        };
        try {
          const result = work();
          if (result instanceof Promise) {
            return result.then((value: unknown) => {
              span.end();
              return value;
            }, fail);
          }
          span.end();
          return result;
        } catch (error) {
          return fail(error);
        }
      });
    },
    remember(key: string) {
      if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
      remembered.set(key, context.active());
    },
  } as Parameters<typeof installTracer>[0]);

  return { stop: () => sdk.shutdown() };
}
