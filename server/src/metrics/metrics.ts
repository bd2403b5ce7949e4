/**
 * The relay's Prometheus instruments, on a registry of its own (several apps in one
 * process must not share prom-client's global one). Labels never carry a phone number,
 * a name or message text: only fixed words and Twilio's numeric error codes.
 */
import { CONVERSATION_STATES } from '@wcp/protocol';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  webhooksReceived: Counter<'kind'>;
  webhookDuration: Histogram;
  messagesSent: Counter<'result'>;
  outboxDepth: Gauge;
  crmWritesFailed: Gauge;
  sseClients: Gauge;
  windowRefusals: Counter;
  twilioErrors: Counter<'code'>;
  conversations: Gauge<'state'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: Metrics = {
    registry,
    webhooksReceived: new Counter({ name: 'wcp_webhooks_received_total', help: 'Signed Twilio webhooks received, by kind.', labelNames: ['kind'], registers }),
    webhookDuration: new Histogram({
      name: 'wcp_webhook_duration_seconds',
      help: 'Time from the signature check to the acknowledgement of a Twilio webhook.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    messagesSent: new Counter({ name: 'wcp_messages_sent_total', help: 'Outbound sends by final result.', labelNames: ['result'], registers }),
    outboxDepth: new Gauge({ name: 'wcp_outbox_depth', help: 'Outbox items waiting to be sent.', registers }),
    crmWritesFailed: new Gauge({ name: 'wcp_crm_writes_failed', help: 'CRM writes Dataverse refused for good, kept for supervisors until the conversation changes again.', registers }),
    sseClients: new Gauge({ name: 'wcp_sse_clients', help: 'Connected event streams.', registers }),
    windowRefusals: new Counter({ name: 'wcp_window_refusals_total', help: 'Free-form sends refused because the 24-hour window is closed.', registers }),
    twilioErrors: new Counter({ name: 'wcp_twilio_errors_total', help: 'Twilio error codes on sends and status callbacks.', labelNames: ['code'], registers }),
    conversations: new Gauge({ name: 'wcp_conversations', help: 'Conversations by state.', labelNames: ['state'], registers }),
  };
  // Every series whose labels are known from the start is there at 0 before its first event: a
  // dashboard's rate() or an alert on "failed" sees a zero, not a missing series.
  for (const kind of ['inbound', 'status']) metrics.webhooksReceived.inc({ kind }, 0);
  for (const result of ['sent', 'failed']) metrics.messagesSent.inc({ result }, 0);
  countConversations(metrics, []);
  return metrics;
}

/** The conversations gauge from the store's counts: every state, 0 where none is in it. */
export function countConversations(metrics: Metrics, counts: readonly { state: string; count: number }[]): void {
  for (const state of CONVERSATION_STATES) metrics.conversations.set({ state }, counts.find((c) => c.state === state)?.count ?? 0);
}

/** Only digits: a Twilio error code; anything else is bucketed so no free text becomes a label. */
export function twilioCodeLabel(code: unknown): string {
  const text = String(code ?? '');
  return /^\d{1,6}$/.test(text) ? text : 'other';
}
