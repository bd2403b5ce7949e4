/** Relay payloads in the protocol's real shapes, for msw handlers and component properties. */
import type { Agent, Conversation, Message, MessageTemplate, QuickReply, RelayEvent } from '@wcp/protocol';

export const RELAY = 'http://relay.test';
export const NOW = Date.parse('2025-06-02T10:00:00Z');

const iso = (ms: number) => new Date(ms).toISOString();

export function makeAgent(overrides: Partial<Agent> = {}): Agent {
  return { id: 'agent-1', name: 'Dana Agent', presence: 'available', role: 'agent', capacity: 3, ...overrides };
}

export function makeConversation(overrides: Partial<Conversation> = {}): Conversation {
  const now = Date.now();
  return {
    id: 'conv-1',
    state: 'active',
    customer: { phone: '+14155550100', profileName: 'Ana WhatsApp', waId: '14155550100' },
    businessPhone: '+14155550199',
    assignedAgentId: 'agent-1',
    offer: null,
    windowExpiresAt: iso(now + 20 * 3600_000),
    lastInboundAt: iso(now - 4 * 3600_000),
    linkedRecord: null,
    createdAt: iso(now - 5 * 3600_000),
    updatedAt: iso(now - 60_000),
    queueId: 'general',
    disposition: null,
    summary: null,
    consultants: [],
    previousConversationId: null,
    ...overrides,
  };
}

export function makeOffer(overrides: Partial<Conversation> = {}): Conversation {
  return makeConversation({
    id: 'conv-offer',
    state: 'open',
    assignedAgentId: null,
    offer: { agentId: 'agent-1', expiresAt: iso(Date.now() + 60_000) },
    ...overrides,
  });
}

let sequence = 0;
export function makeMessage(overrides: Partial<Message> = {}): Message {
  sequence += 1;
  return {
    id: `msg-${sequence}`,
    conversationId: 'conv-1',
    direction: 'inbound',
    body: `Message ${sequence}`,
    status: 'received',
    errorCode: null,
    errorMessage: null,
    media: [],
    replyTo: null,
    template: null,
    agentId: null,
    sentiment: null,
    createdAt: iso(Date.now() - 60_000),
    ...overrides,
  };
}

export function makeTemplate(overrides: Partial<MessageTemplate> = {}): MessageTemplate {
  return {
    contentSid: 'HX0123456789abcdef0123456789abcdef',
    name: 'order_update',
    language: 'en',
    body: 'Hello {{1}}, this is {{2}} about case {{3}}.',
    variables: [
      { key: '1', label: 'Customer name', source: 'customer.name' },
      { key: '2', label: 'Agent name', source: 'agent.name' },
      { key: '3', label: 'Case number', source: 'record.ticketnumber' },
    ],
    ...overrides,
  };
}

export function makeQuickReply(overrides: Partial<QuickReply> = {}): QuickReply {
  return { id: 'qr-1', title: 'Greeting', body: 'Hi {customer.name}, I am {agent.name}.', tags: ['hello'], ...overrides };
}

/** One SSE frame as the relay writes it. */
export function sseFrame(event: RelayEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** A stream the test writes SSE frames into, served as the body of `GET /api/v1/events`. */
export function controllableStream() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    stream,
    write(text: string) {
      controller.enqueue(encoder.encode(text));
    },
    send(event: RelayEvent) {
      this.write(sseFrame(event));
    },
    close() {
      controller.close();
    },
  };
}
