/** A relay and CRM for whole-panel tests: msw handlers over a mutable fake, and a CRM port that knows some phones. */
import type { AgentSummary, Conversation, Message, Queue, SendMessageRequest, TransferRequest } from '@wcp/protocol';
import type { CrmPort } from '../ports/crm-port.js';
import { RELAY, makeAgent, makeConversation, makeMessage, makeOffer, makeTemplate } from './fixtures.js';
import { devToken, http, HttpResponse } from './relay-mock.js';

export function fakeCrm(contacts: Record<string, string> = {}): CrmPort {
  const unused = () => Promise.reject(new Error('not used in this test'));
  const none = async () => [];
  return {
    findContactsByPhone: async (phone) => (contacts[phone] ? [{ id: `contact-${phone}`, fullName: contacts[phone]!, fields: { ticketnumber: 'CAS-42' } }] : []),
    searchRecords: unused,
    createRecord: unused,
    linkConversation: unused,
    unlinkConversation: unused,
    findConversationLinks: unused,
    openRecord: unused,
    searchKnowledge: none, // smart assist asks for every new customer message
  };
}

export interface RelayFake {
  conversations: Conversation[];
  messages: Record<string, Message[]>;
  posted: SendMessageRequest[];
  accepted: string[];
  rejected: string[];
  presence: string[];
  states: string[];
  refuseSendWith?: { status: number; error: string; message: string };
  /** Holds the POST's answer until this settles, and answers with this message id. */
  holdSendUntil?: Promise<void>;
  sentMessageId?: string;
  answered?: number;
  // Team work (GET /api/v1/agents, /queues; transfer and consult)
  colleagues?: AgentSummary[];
  queues?: Queue[];
  /** Every queue (`?all=true`); the agent's own when not set. */
  allQueues?: Queue[];
  /** How many times the agent's own queues were read. */
  queueReads?: number;
  transfers?: { conversationId: string; request: TransferRequest }[];
  consults?: { conversationId: string; agentId: string }[];
  endedConsults?: string[];
  refuseTransferWith?: { status: number; error: string; message: string };
  /** POST .../typing calls, by conversation id. */
  typing?: string[];
  /** The next this many media downloads answer 502, as the relay does while Twilio cannot be reached. */
  failMedia?: number;
}

export const emptyFake = (): RelayFake => ({ conversations: [], messages: {}, posted: [], accepted: [], rejected: [], presence: [], states: [] });

export function relayHandlers(fake: RelayFake) {
  return [
    http.get(`${RELAY}/api/v1/me`, () => HttpResponse.json(makeAgent())),
    http.get(`${RELAY}/api/v1/conversations`, () => HttpResponse.json({ items: fake.conversations })),
    http.get(`${RELAY}/api/v1/quick-replies`, () => HttpResponse.json({ items: [] })),
    http.get(`${RELAY}/api/v1/dispositions`, () => HttpResponse.json({ items: [{ id: 'resolved', label: 'Resolved' }] })),
    // The side pane's data; its own wiring is tested in wcp-panel-side.test.ts.
    http.get(`${RELAY}/api/v1/scripts`, () => HttpResponse.json({ items: [] })),
    http.get(`${RELAY}/api/v1/conversations/:id/notes`, () => HttpResponse.json({ items: [] })),
    http.get(`${RELAY}/api/v1/customers/:phone/conversations`, () => HttpResponse.json({ items: [] })),
    http.get(`${RELAY}/api/v1/templates`, () => HttpResponse.json({ items: [makeTemplate()], stale: false })),
    http.post(`${RELAY}/api/v1/conversations/:id/typing`, ({ params }) => {
      (fake.typing ??= []).push(String(params.id));
      return new HttpResponse(null, { status: 204 });
    }),
    http.get(`${RELAY}/api/v1/conversations/:id/messages`, ({ params }) =>
      HttpResponse.json({ items: fake.messages[String(params.id)] ?? [], next: null }),
    ),
    http.post(`${RELAY}/api/v1/conversations/:id/accept`, ({ params }) => {
      fake.accepted.push(String(params.id));
      const offer = fake.conversations.find((c) => c.id === params.id) ?? makeOffer({ id: String(params.id) });
      return HttpResponse.json({ ...offer, state: 'active', offer: null, assignedAgentId: 'agent-1' });
    }),
    http.post(`${RELAY}/api/v1/conversations/:id/reject`, ({ params }) => {
      fake.rejected.push(String(params.id));
      return new HttpResponse(null, { status: 204 });
    }),
    http.post(`${RELAY}/api/v1/conversations/:id/messages`, async ({ request, params }) => {
      const body = (await request.json()) as SendMessageRequest;
      fake.posted.push(body);
      if (fake.refuseSendWith) {
        const { status, ...error } = fake.refuseSendWith;
        return HttpResponse.json(error, { status });
      }
      await fake.holdSendUntil;
      fake.answered = (fake.answered ?? 0) + 1;
      return HttpResponse.json(
        makeMessage({ ...(fake.sentMessageId ? { id: fake.sentMessageId } : {}), conversationId: String(params.id), direction: 'outbound', body: body.body ?? '', status: 'queued', template: body.template ?? null, createdAt: new Date().toISOString() }),
        { status: 202 },
      );
    }),
    http.put(`${RELAY}/api/v1/me/presence`, async ({ request }) => {
      const { presence } = (await request.json()) as { presence: 'busy' };
      fake.presence.push(presence);
      return HttpResponse.json(makeAgent({ presence }));
    }),
    http.put(`${RELAY}/api/v1/conversations/:id/state`, async ({ request, params }) => {
      const { state } = (await request.json()) as { state: Conversation['state'] };
      fake.states.push(state);
      return HttpResponse.json(makeConversation({ id: String(params.id), state }));
    }),
    http.get(`${RELAY}/api/v1/agents`, () => HttpResponse.json({ items: fake.colleagues ?? [] })),
    // An agent's own queues, or every queue with ?all=true (the relay's GET /api/v1/queues).
    http.get(`${RELAY}/api/v1/queues`, ({ request }) => {
      const all = new URL(request.url).searchParams.get('all') === 'true';
      if (!all) fake.queueReads = (fake.queueReads ?? 0) + 1;
      return HttpResponse.json({ items: (all ? fake.allQueues : undefined) ?? fake.queues ?? [] });
    }),
    http.get(`${RELAY}/api/v1/conversations/:id`, ({ params }) => {
      const found = fake.conversations.find((c) => c.id === params.id);
      return found ? HttpResponse.json(found) : HttpResponse.json({ error: 'not_found', message: 'Conversation not found.' }, { status: 404 });
    }),
    http.post(`${RELAY}/api/v1/conversations/:id/transfer`, async ({ request, params }) => {
      const body = (await request.json()) as TransferRequest;
      if (fake.refuseTransferWith) {
        const { status, ...error } = fake.refuseTransferWith;
        return HttpResponse.json(error, { status });
      }
      (fake.transfers ??= []).push({ conversationId: String(params.id), request: body });
      fake.conversations = fake.conversations.filter((c) => c.id !== params.id);
      return new HttpResponse(null, { status: 202 });
    }),
    http.post(`${RELAY}/api/v1/conversations/:id/consult`, async ({ request, params }) => {
      const { agentId } = (await request.json()) as { agentId: string };
      (fake.consults ??= []).push({ conversationId: String(params.id), agentId });
      fake.conversations = fake.conversations.map((c) => (c.id === params.id ? { ...c, consultants: [...c.consultants, agentId] } : c));
      return new HttpResponse(null, { status: 202 });
    }),
    http.delete(`${RELAY}/api/v1/conversations/:id/consult`, ({ params }) => {
      (fake.endedConsults ??= []).push(String(params.id));
      fake.conversations = fake.conversations.map((c) => (c.id === params.id ? { ...c, consultants: [] } : c));
      return new HttpResponse(null, { status: 204 });
    }),
    http.get(`${RELAY}/api/v1/media/:id`, ({ request }) => {
      if (request.headers.get('Authorization') !== `Bearer ${devToken()}`) return new HttpResponse(null, { status: 401 });
      if (fake.failMedia) {
        fake.failMedia -= 1;
        return HttpResponse.json({ error: 'media_fetch_failed', message: 'Twilio answered HTTP 503 for the media.' }, { status: 502 });
      }
      return new HttpResponse(new Uint8Array([137, 80, 78, 71]), { headers: { 'Content-Type': 'image/png' } });
    }),
  ];
}
