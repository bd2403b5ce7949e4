/**
 * OpenTelemetry traces, from outside: the relay as a process (simulator mode, SQLite) sends
 * OTLP/HTTP JSON to a collector this test runs on 127.0.0.1. A customer's message is one trace
 * from the webhook through the store to the SSE write; an agent's reply is one trace from the
 * API request through the outbox to the transport's send. No span carries a phone number or
 * message text. Without OTEL_EXPORTER_OTLP_ENDPOINT no OpenTelemetry module is even resolved.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { mintDevToken } from '../../src/auth/tokens.ts';
import { agentFetch, killHard, ResumableStream, spawnRelay, until, type RelayProcess } from '../helpers/processes.ts';

const SECRET = 'tracing-test-secret-that-is-long-enough-0123456789';
const CUSTOMER = '+447700900555';
const CUSTOMER_TEXT = 'where is parcel 42, I am at home';
const REPLY_TEXT = 'it is with the courier now';
/** The relay from source, with the loader hook that reports OpenTelemetry modules. */
const REPORTING_RELAY = ['--import', 'tsx', '--import', './test/helpers/report-otel-imports.mjs', 'src/main.ts'];

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
}

/** A collector for OTLP/HTTP JSON (what @opentelemetry/exporter-trace-otlp-http posts to /v1/traces). */
async function startCollector(): Promise<{ url: string; spans: Span[]; raw: string[]; server: Server }> {
  const spans: Span[] = [];
  const raw: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      raw.push(body);
      if (req.url === '/v1/traces' && String(req.headers['content-type']).startsWith('application/json')) {
        const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: Span[] }[] }[] };
        for (const r of payload.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, spans, raw, server };
}

function relayEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dir, 'relay.db')}`, AUTH_MODE: 'dev', AUTH_SECRET: SECRET, LOG_LEVEL: 'warn', ...extra };
}

describe('tracing', () => {
  const dirs: string[] = [];
  const relays: RelayProcess[] = [];
  let collector: Awaited<ReturnType<typeof startCollector>> | undefined;
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'wcp-otel-'));
    dirs.push(dir);
    return dir;
  };
  after(async () => {
    for (const relay of relays) await killHard(relay);
    collector?.server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('loads no OpenTelemetry code when OTEL_EXPORTER_OTLP_ENDPOINT is unset', async () => {
    const relay = spawnRelay(relayEnv(tempDir()), 30_000, REPORTING_RELAY);
    relays.push(relay);
    const base = await relay.listening;
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    assert.doesNotMatch(relay.output(), /otel-module-loaded/);
  });

  it('follows a webhook to the store and the SSE write, and a reply from the API through the outbox to the send', async () => {
    collector = await startCollector();
    const relay = spawnRelay(relayEnv(tempDir(), { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' }), 30_000, REPORTING_RELAY);
    relays.push(relay);
    const base = await relay.listening;
    assert.match(relay.output(), /otel-module-loaded .*@opentelemetry/, 'the check above would not notice OpenTelemetry being loaded');

    const token = await mintDevToken(SECRET, { id: 'alice', name: 'Alice', role: 'agent' });
    const api = agentFetch(() => base, token);
    assert.equal((await api('PUT', '/me/presence', { presence: 'available' })).status, 200);
    const stream = new ResumableStream(token);
    await stream.connect(base);

    const sent = await fetch(`${base}/simulator/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: CUSTOMER, body: CUSTOMER_TEXT }) });
    assert.equal(sent.status, 202);
    const offer = await until('the offer', 10_000, () => stream.events.find((e) => e.type === 'offer'));
    const conversationId = String(offer.data.conversationId);
    assert.equal((await api('POST', `/conversations/${conversationId}/accept`)).status, 200);
    const queued = await api('POST', `/conversations/${conversationId}/messages`, { body: REPLY_TEXT });
    assert.equal(queued.status, 202);
    const messageId = ((await queued.json()) as { id: string }).id;

    const spans = collector.spans;
    const named = (name: string) => spans.filter((s) => s.name === name);
    const attribute = (s: Span, key: string) => s.attributes?.find((a) => a.key === key)?.value;

    // The customer's message: store write and SSE write in the webhook's trace.
    const inbound = await until('the inbound store span', 10_000, () => named('store.recordInboundReceipt')[0]);
    const sse = await until('an SSE write in the webhook trace', 10_000, () => named('sse.write').find((s) => s.traceId === inbound.traceId));
    assert.ok(sse);
    assert.ok(
      spans.some((s) => s.traceId === inbound.traceId && s.spanId === inbound.parentSpanId),
      'the store span has its parent (the webhook request) in the same trace',
    );

    // The reply: API request → store.queueOutbound → outbox.send → simulator.send, one trace.
    const send = await until('the outbox send span', 10_000, () => named('outbox.send').find((s) => attribute(s, 'wcp.message_id')?.stringValue === messageId));
    const queuedSpan = named('store.queueOutbound').find((s) => s.traceId === send.traceId);
    assert.ok(queuedSpan, 'the outbox send continues the trace of the API request that queued it');
    const transportSend = await until('the transport send span', 10_000, () => named('simulator.send').find((s) => s.parentSpanId === send.spanId));
    assert.equal(transportSend.traceId, send.traceId);

    const everything = collector.raw.join('\n');
    for (const secret of [CUSTOMER, CUSTOMER.slice(1), CUSTOMER_TEXT, REPLY_TEXT, token]) assert.ok(!everything.includes(secret), `a span holds "${secret.slice(0, 20)}"`);
  });
});
