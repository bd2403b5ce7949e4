/**
 * Tracing as the relay's code sees it: name a piece of work, and it becomes a span when
 * OpenTelemetry is switched on (OTEL_EXPORTER_OTLP_ENDPOINT; telemetry/otel.ts installs the
 * tracer). Off, this module is all there is: no OpenTelemetry code is loaded, and each call
 * runs the work directly. Attributes carry ids and counts only — never a phone number, a
 * name or message text.
 */
import type { Store } from '../store/port.ts';

export type SpanAttributes = Record<string, string | number | boolean>;

export interface Tracer {
  /** Runs `work` in a span; with `follows`, in the trace of the work remembered under that key. */
  inSpan<T>(name: string, attributes: SpanAttributes, work: () => T, follows?: string): T;
  /** Remembers the current span under `key` (a message id), for work done later on its behalf. */
  remember(key: string): void;
}

let tracer: Tracer | null = null;

export function installTracer(installed: Tracer): void {
  tracer = installed;
}

export function inSpan<T>(name: string, attributes: SpanAttributes, work: () => T, follows?: string): T {
  return tracer ? tracer.inSpan(name, attributes, work, follows) : work();
}

/** The API queued a reply: the outbox's send of it continues this trace. */
export function rememberSpan(key: string): void {
  tracer?.remember(key);
}

/** The store with each call a span (`store.recordInbound`, ...): used only when tracing is on. */
export function tracedStore(store: Store): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => inSpan(`store.${property}`, { 'db.system': target.kind }, () => (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}
