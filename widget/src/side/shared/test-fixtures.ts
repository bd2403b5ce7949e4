/** Realistic wire objects for the side-pane tests (shapes from `@wcp/protocol`). */
import type { AgentScript, Conversation, Message, MessageSentiment, Note, QuickReply, SearchHit } from '@wcp/protocol';
import type { CrmContact, CrmSearchResult, KnowledgeArticle } from '../../ports/crm-port.js';

export const customer = { phone: '+14155550100', profileName: 'Maria C', waId: '14155550100' };

export function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'conv-1',
    state: 'active',
    customer,
    businessPhone: '+14155238886',
    assignedAgentId: 'agent-1',
    offer: null,
    windowExpiresAt: '2025-11-26T10:00:00.000Z',
    lastInboundAt: '2025-11-25T10:00:00.000Z',
    linkedRecord: null,
    createdAt: '2025-11-25T09:58:00.000Z',
    updatedAt: '2025-11-25T10:00:00.000Z',
    queueId: 'general',
    disposition: null,
    summary: null,
    consultants: [],
    previousConversationId: null,
    ...overrides,
  };
}

export const maria: CrmContact = {
  id: 'c-maria',
  fullName: 'Maria Campbell',
  firstName: 'Maria',
  lastName: 'Campbell',
  phone: '+1 (415) 555-0100',
  email: 'maria.campbell@example.com',
  accountName: 'Contoso Pharmaceuticals',
  city: 'San Francisco',
};

/** `sentiment`: the relay's figures for `body` (see server/test/unit/sentiment.test.ts); null for outbound. */
export function message(
  id: string,
  direction: 'inbound' | 'outbound',
  body: string,
  minute = 0,
  sentiment: MessageSentiment | null = null,
): Message {
  return {
    id,
    conversationId: 'conv-1',
    direction,
    body,
    status: direction === 'inbound' ? 'received' : 'delivered',
    errorCode: null,
    errorMessage: null,
    media: [],
    replyTo: null,
    template: null,
    agentId: direction === 'inbound' ? null : 'agent-1',
    sentiment,
    createdAt: new Date(Date.UTC(2025, 10, 25, 10, minute)).toISOString(),
  };
}

/**
 * The relay's scoreMessage figures for support-chat sentences, as pinned in
 * server/test/unit/sentiment.test.ts: the panel has no lexicon, so its tests feed these.
 */
export const RELAY_SENTIMENT = {
  'My order number is 4471': { score: 0, comparative: 0, tokens: 5 },
  'Order 4471': { score: 0, comparative: 0, tokens: 2 },
  'Hi, I would like to check the status of my order 4471.': { score: 0, comparative: 0, tokens: 12 },
  'Could you help me reset my password?': { score: 0, comparative: 0, tokens: 7 },
  'ok thanks': { score: 2, comparative: 1, tokens: 2 },
  'Thank you so much, that was really helpful!': { score: 4, comparative: 0.5, tokens: 8 },
  'Thank you, wonderful!': { score: 6, comparative: 2, tokens: 3 },
  'You are amazing, this is the best service I have ever had. Love it!': { score: 10, comparative: 10 / 14, tokens: 14 },
  'That is a bit disappointing': { score: -2, comparative: -0.4, tokens: 5 },
  'This is the worst service ever, I am furious.': { score: -6, comparative: -6 / 9, tokens: 9 },
  'I hate this, you are useless and I will cancel everything. Disgusting scam.': { score: -11, comparative: -11 / 13, tokens: 13 },
  'I hate this, useless scam!': { score: -7, comparative: -1.4, tokens: 5 },
  'This is terrible, absolutely awful, I want a refund now!!!': { score: -6, comparative: -0.6, tokens: 10 },
  'I am not happy with the delay.': { score: -4, comparative: -4 / 7, tokens: 7 },
  'Perfect, problem solved 😊': { score: 5, comparative: 1.25, tokens: 4 },
} satisfies Record<string, MessageSentiment>;
export type ScoredSentence = keyof typeof RELAY_SENTIMENT;

/** Inbound messages, a minute apart, carrying the relay's figures. */
export function customerSays(...texts: ScoredSentence[]): Message[] {
  return texts.map((text, i) => message(`c${i + 1}`, 'inbound', text, i, RELAY_SENTIMENT[text]));
}

export const notes: Note[] = [
  {
    id: 'n1',
    conversationId: 'conv-1',
    agentId: 'agent-1',
    agentName: 'Alex Wilber',
    body: 'Customer asked about order 4471.',
    createdAt: '2025-11-25T10:01:00.000Z',
  },
  {
    id: 'n2',
    conversationId: 'conv-1',
    agentId: 'agent-2',
    agentName: 'Megan Bowen',
    body: 'Refund approved <b>by</b> supervisor.',
    createdAt: '2025-11-25T10:05:00.000Z',
  },
];

export const recordResults: CrmSearchResult[] = [
  { entityType: 'contact', id: 'c-maria', name: 'Maria Campbell', subtitle: '+1 (415) 555-0100' },
  { entityType: 'account', id: 'a-contoso', name: 'Contoso Pharmaceuticals', subtitle: 'San Francisco' },
  { entityType: 'incident', id: 'i-1', name: 'Parcel arrived damaged', subtitle: 'CAS-01001' },
];

export const articles: KnowledgeArticle[] = [
  {
    id: 'k-refund',
    title: 'How to request a refund',
    summary: 'Refunds are issued to the original payment method within 5 business days of approval.',
    url: 'https://support.example.com/kb/refunds',
  },
  {
    id: 'k-track',
    title: 'Track your order',
    summary: 'Use the tracking number in your shipping confirmation email to follow your parcel.',
    url: 'https://support.example.com/kb/tracking',
  },
  {
    id: 'k-password',
    title: 'Reset your password',
    summary: 'Choose "Forgot password" on the sign-in page and follow the link we email you.',
    url: 'https://support.example.com/kb/password',
  },
];

export const quickReplies: QuickReply[] = [
  { id: 'q-greet', title: 'Greeting', body: 'Hi {customer.name}, I am {agent.name}. How can I help?', tags: ['hello'] },
  {
    id: 'q-refund',
    title: 'Refund timeline',
    body: 'Your refund will reach your original payment method within 5 business days.',
    tags: ['refund', 'money'],
  },
  {
    id: 'q-track',
    title: 'Tracking link',
    body: 'You can track your parcel with the link in your shipping confirmation email.',
    tags: ['order', 'delivery', 'tracking'],
  },
];

export const scripts: AgentScript[] = [
  {
    id: 's-refund',
    name: 'Refund request',
    steps: [
      { id: 'st-1', title: 'Greet the customer', text: 'Hi {customer.name}, thanks for reaching out.' },
      { id: 'st-2', title: 'Verify the order number', text: null },
      { id: 'st-3', title: 'Explain the refund timeline', text: 'Refunds take up to 5 business days.' },
    ],
  },
  {
    id: 's-delivery',
    name: 'Delivery problem',
    steps: [{ id: 'sd-1', title: 'Ask for the tracking number', text: 'Could you share your tracking number?' }],
  },
];

export const searchHits: SearchHit[] = [
  {
    conversationId: 'conv-7',
    messageId: 'm-70',
    direction: 'inbound',
    snippet: 'my <script>refund</script> has not arrived',
    createdAt: '2025-11-20T08:30:00.000Z',
    customer: { phone: '+447700900123', profileName: 'Oliver', waId: '447700900123' },
  },
  {
    conversationId: 'conv-8',
    messageId: 'm-80',
    direction: 'outbound',
    snippet: 'Your refund was issued today.',
    createdAt: '2025-11-21T12:00:00.000Z',
    customer: { phone: '+14155550100', profileName: null, waId: null },
    disposition: 'resolved',
    summary: 'Refund <b>issued</b>',
  },
];
