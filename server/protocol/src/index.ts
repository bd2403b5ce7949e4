/**
 * The agent API's wire protocol: TypeBox schemas used by the relay for validation and
 * the OpenAPI document, and (type-only) by the widget. One definition, never two.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CONVERSATION_STATES, PRESENCES, WHATSAPP_MAX_BUTTON_TITLE_CHARS, WHATSAPP_MAX_BUTTONS, WRAP_UP_SUMMARY_MAX_CHARS } from './values.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export {
  CONVERSATION_STATES,
  PRESENCES,
  ROUTABLE_PRESENCES,
  WHATSAPP_MAX_BODY_CHARS,
  WHATSAPP_MAX_BUTTON_TITLE_CHARS,
  WHATSAPP_MAX_BUTTONS,
  WHATSAPP_MAX_CAPTION_CHARS,
  WHATSAPP_MEDIA_TYPES,
  WINDOW_EXPIRED_MESSAGE,
  isTemplateSendable,
  repeatedButtonTitle,
  whatsappBodyLength,
  whatsappBodyLimit,
  whatsappMediaMaxBytes,
  WRAP_UP_SUMMARY_MAX_CHARS,
} from './values.ts';
export const Presence = Type.Union(PRESENCES.map((p) => Type.Literal(p)));
export type Presence = (typeof PRESENCES)[number];

export const ConversationState = Type.Union(CONVERSATION_STATES.map((s) => Type.Literal(s)));
export type ConversationState = (typeof CONVERSATION_STATES)[number];

/** Outbound statuses follow Twilio's; inbound messages are `received`. */
export const MESSAGE_STATUSES = [
  'received',
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'undelivered',
] as const;
export const MessageStatus = Type.Union(MESSAGE_STATUSES.map((s) => Type.Literal(s)));
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const ErrorBody = Type.Object(
  { error: Type.String(), message: Type.String() },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const Agent = Type.Object({
  id: Type.String(),
  name: Type.String(),
  presence: Presence,
  role: Type.Union([Type.Literal('agent'), Type.Literal('supervisor')]),
  capacity: Type.Integer({ minimum: 1 }),
});
export type Agent = Static<typeof Agent>;

export const Customer = Type.Object({
  /** E.164, e.g. +14155550100 */
  phone: Type.String(),
  profileName: Nullable(Type.String()),
  waId: Nullable(Type.String()),
});
export type Customer = Static<typeof Customer>;

export const RecordRef = Type.Object({
  /** A Dataverse table's logical name (`contact`, `account`, `incident`, or the form's own table). */
  entityType: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }),
  id: Type.String({ minLength: 1, maxLength: 128 }),
  name: Type.String({ maxLength: 400 }),
});
export type RecordRef = Static<typeof RecordRef>;

export const Offer = Type.Object({
  agentId: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type Offer = Static<typeof Offer>;

/** A Click-to-WhatsApp ad's referral (Twilio's Referral* webhook parameters). */
export const Referral = Type.Object({
  sourceType: Nullable(Type.String()),
  sourceUrl: Nullable(Type.String()),
  headline: Nullable(Type.String()),
  body: Nullable(Type.String()),
  ctwaClid: Nullable(Type.String()),
});
export type Referral = Static<typeof Referral>;

/** Who handed a conversation over, and why (on a transferred offer). */
export const Transfer = Type.Object({
  fromAgentId: Type.String(),
  fromAgentName: Type.String(),
  note: Nullable(Type.String()),
});
export type Transfer = Static<typeof Transfer>;

export const Conversation = Type.Object({
  id: Type.String(),
  state: ConversationState,
  customer: Customer,
  /** The business WhatsApp number, E.164. */
  businessPhone: Type.String(),
  assignedAgentId: Nullable(Type.String()),
  offer: Nullable(Offer),
  /** End of the 24-hour customer-service window; null before any inbound message. */
  windowExpiresAt: Nullable(Type.String({ format: 'date-time' })),
  lastInboundAt: Nullable(Type.String({ format: 'date-time' })),
  linkedRecord: Nullable(RecordRef),
  /** The customer opted out of messages from this business number (STOP, or Twilio 21610/63014): every send is refused. */
  optedOut: Type.Optional(Type.Boolean()),
  /** The Click-to-WhatsApp ad the conversation began from. */
  referral: Type.Optional(Nullable(Referral)),
  /** End of the ad's free entry point: 72 h from the business's first reply; null unless it began from an ad and was answered. */
  freeEntryExpiresAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  /** Until when the business's first reply can still open the ad's free entry point (24 h from the ad's message); null unless it began from an ad and no reply has opened it. */
  freeEntryReplyBy: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  // Team work: queues, transfer, consult, wrap-up
  /** The queue it waits in (or came through): `general` unless its business number is another queue's. */
  queueId: Type.String(),
  /** The wrap-up disposition id (GET /api/v1/dispositions, or `auto-closed`); null until closed. */
  disposition: Nullable(Type.String()),
  summary: Nullable(Type.String()),
  /** Agents consulted on it: they read it and add notes, never write to the customer. */
  consultants: Type.Array(Type.String()),
  /** The customer's conversation before this one, or null. */
  previousConversationId: Nullable(Type.String()),
  /**
   * Who transferred it, and why, while it waits for the next agent (the offer card shows it when
   * the panel opens with the offer pending); null unless it was transferred and not yet accepted.
   */
  transfer: Type.Optional(Nullable(Transfer)),
  /** When it closes by itself (disposition `auto-closed`) if the agent leaves it in wrap-up (WRAP_UP_CLOSE_AFTER); null unless in wrap-up with a timer. */
  wrapUpEndsAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
});
export type Conversation = Static<typeof Conversation>;

export const MediaItem = Type.Object({
  id: Type.String(),
  contentType: Type.String(),
  /** Relay path that streams the bytes to an authenticated agent. */
  url: Type.String(),
  filename: Nullable(Type.String()),
  size: Nullable(Type.Integer()),
});
export type MediaItem = Static<typeof MediaItem>;

export const Template = Type.Object({
  // Any ContentSid the list does not hold, well formed or not, is 422 unknown_template (DESIGN).
  contentSid: Type.String({ minLength: 1, maxLength: 64 }),
  variables: Type.Record(Type.String({ maxLength: 8 }), Type.String({ maxLength: 1024 })),
});
export type Template = Static<typeof Template>;

/**
 * One inbound message's AFINN figures, scored once by the relay at ingest: the lexicon stays
 * out of the panel's bundle, which only aggregates these into the customer's sentiment.
 */
export const MessageSentiment = Type.Object({
  /** Sum of the word scores (support-chat tuned: "like", "help", "please", "want" are neutral). */
  score: Type.Number(),
  /** `score` per token. */
  comparative: Type.Number(),
  /** How many words the message has. */
  tokens: Type.Integer({ minimum: 0 }),
});
export type MessageSentiment = Static<typeof MessageSentiment>;

/** A shared location (MessageType=location). */
export const MessageLocation = Type.Object({
  latitude: Type.Number(),
  longitude: Type.Number(),
  address: Nullable(Type.String()),
  label: Nullable(Type.String()),
});
export type MessageLocation = Static<typeof MessageLocation>;

/** A contact card shared by the customer (a text/vcard attachment); phones in E.164. */
export const MessageContact = Type.Object({ name: Type.String(), phones: Type.Array(Type.String()) });
export type MessageContact = Static<typeof MessageContact>;

/** A quick-reply button on an agent's reply (WhatsApp shows at most 3, titles up to 20 characters). */
export const QuickReplyButton = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 200 }), title: Type.String({ minLength: 1, maxLength: WHATSAPP_MAX_BUTTON_TITLE_CHARS }) },
  { additionalProperties: false },
);
export type QuickReplyButton = Static<typeof QuickReplyButton>;

/** What an agent can do about a failed or undelivered message, in plain words. */
export const MessageError = Type.Object({ code: Type.Integer(), title: Type.String(), action: Type.String() });
export type MessageError = Static<typeof MessageError>;

export const Message = Type.Object({
  id: Type.String(),
  conversationId: Type.String(),
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  body: Type.String(),
  status: MessageStatus,
  errorCode: Nullable(Type.Integer()),
  errorMessage: Nullable(Type.String()),
  media: Type.Array(MediaItem),
  /** The message this one replies to (WhatsApp's reply-to quote). */
  replyTo: Nullable(
    Type.Object({ id: Nullable(Type.String()), body: Nullable(Type.String()) }),
  ),
  template: Nullable(Template),
  agentId: Nullable(Type.String()),
  /** An agent's send: the idempotency key its panel gave it (SendMessageRequest.clientId), so the panel knows its own send when it comes back. */
  clientId: Type.Optional(Type.String()),
  /** Inbound only (null for outbound); absent from relays older than this field. */
  sentiment: Type.Optional(Nullable(MessageSentiment)),
  // WhatsApp fidelity: present when they apply.
  location: Type.Optional(MessageLocation),
  contacts: Type.Optional(Type.Array(MessageContact)),
  /** A button the customer tapped (quick reply or template button). */
  button: Type.Optional(Type.Object({ text: Type.String(), payload: Nullable(Type.String()) })),
  /** An agent's reply's quick-reply buttons. */
  buttons: Type.Optional(Type.Array(QuickReplyButton)),
  forwarded: Type.Optional(Type.Literal(true)),
  /** WhatsApp sent something the panel cannot show (a reaction, a poll, an unknown type); `messageType` is Twilio's MessageType. */
  unsupported: Type.Optional(Type.Literal(true)),
  messageType: Type.Optional(Type.String()),
  error: Type.Optional(MessageError),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Message = Static<typeof Message>;

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), next: Nullable(Type.String()) });

export const MessagePage = Page(Message);
export type MessagePage = Static<typeof MessagePage>;

export const ConversationList = Type.Object({ items: Type.Array(Conversation) });
export type ConversationList = Static<typeof ConversationList>;

export const SendMessageRequest = Type.Object(
  {
    // Twilio caps a message body at 1,600 characters (error 21617), WhatsApp a caption under a file
    // at 1,024 (whatsappBodyLimit): longer is 422 body_too_long.
    body: Type.Optional(Type.String({ minLength: 1, maxLength: 65536 })),
    mediaId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    template: Type.Optional(Template),
    replyToMessageId: Type.Optional(Type.String({ maxLength: 64 })),
    /** Up to 3 quick-reply buttons under the text, inside the 24-hour window only; the customer's tap comes back as `button`. */
    buttons: Type.Optional(Type.Array(QuickReplyButton, { minItems: 1, maxItems: WHATSAPP_MAX_BUTTONS })),
    /** Idempotency key from the panel's outbox: the same clientId is sent once. */
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type SendMessageRequest = Static<typeof SendMessageRequest>;

export const PresenceRequest = Type.Object(
  { presence: Presence },
  { additionalProperties: false },
);
export type PresenceRequest = Static<typeof PresenceRequest>;
export const StateRequest = Type.Object(
  {
    state: ConversationState,
    /** Closing: a disposition id from GET /api/v1/dispositions (required while the list is not empty). */
    disposition: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    summary: Type.Optional(Type.String({ maxLength: WRAP_UP_SUMMARY_MAX_CHARS })),
  },
  { additionalProperties: false },
);
export type StateRequest = Static<typeof StateRequest>;

export const Note = Type.Object({
  id: Type.String(),
  conversationId: Type.String(),
  agentId: Type.String(),
  agentName: Type.String(),
  body: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Note = Static<typeof Note>;
export const NoteRequest = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 10000 }) },
  { additionalProperties: false },
);
export type NoteRequest = Static<typeof NoteRequest>;
export const NoteList = Type.Object({ items: Type.Array(Note) });

export const QuickReply = Type.Object({
  id: Type.String(),
  title: Type.String(),
  /** Text with placeholders such as {customer.name}, {agent.name}, {record.<field>}. */
  body: Type.String(),
  tags: Type.Array(Type.String()),
});
export type QuickReply = Static<typeof QuickReply>;

export const ScriptStep = Type.Object({
  id: Type.String(),
  title: Type.String(),
  /** Text the step can insert into the composer (placeholders allowed). */
  text: Nullable(Type.String()),
});
export const AgentScript = Type.Object({
  id: Type.String(),
  name: Type.String(),
  steps: Type.Array(ScriptStep),
});
export type AgentScript = Static<typeof AgentScript>;

export const TemplateVariable = Type.Object({
  key: Type.String(),
  label: Type.String(),
  /** Where the panel fills it from: customer.name, agent.name, record.<field>, or null. */
  source: Nullable(Type.String()),
});
export const MessageTemplate = Type.Object({
  contentSid: Type.String(),
  name: Type.String(),
  language: Type.String(),
  /** Body with Twilio Content API placeholders {{1}}, {{2}}... */
  body: Type.String(),
  variables: Type.Array(TemplateVariable),
  /** WhatsApp's category, lower case: utility, marketing, authentication. */
  category: Type.Optional(Type.String()),
  /** WhatsApp's approval status, lower case (approved, pending, rejected, …); only approved ones can be sent. */
  status: Type.Optional(Type.String()),
});
export type MessageTemplate = Static<typeof MessageTemplate>;

/** GET /templates: `stale` when Twilio's Content API failed and the last good list is served. */
export const TemplateList = Type.Object({ items: Type.Array(MessageTemplate), stale: Type.Boolean() });
export type TemplateList = Static<typeof TemplateList>;

export const SearchHit = Type.Object({
  conversationId: Type.String(),
  messageId: Type.String(),
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  snippet: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  customer: Customer,
  /** The conversation's wrap-up disposition (null until closed). */
  disposition: Type.Optional(Nullable(Type.String())),
  /** The agent's summary at the close (null until closed, or when none was written). */
  summary: Type.Optional(Nullable(Type.String())),
});
export type SearchHit = Static<typeof SearchHit>;

export const UploadedMedia = Type.Object({
  id: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  filename: Nullable(Type.String()),
});
export type UploadedMedia = Static<typeof UploadedMedia>;


/** One change of a customer's consent for the conversation's business number (the consent log). */
export const ConsentLogEntry = Type.Object({
  optedOut: Type.Boolean(),
  /** `keyword:STOP`, `keyword:START`, `twilio:21610`, `twilio:63014`, … */
  cause: Type.String(),
  /** The message that caused it (the customer's keyword, or the send Twilio refused). */
  messageId: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type ConsentLogEntry = Static<typeof ConsentLogEntry>;
export const ConsentLog = Type.Object({ items: Type.Array(ConsentLogEntry) });
export type ConsentLog = Static<typeof ConsentLog>;

/** Server-Sent Event payloads, keyed by the SSE `event:` name. */
export interface RelayEvents {
  offer: { conversationId: string; conversation: Conversation; firstMessage: Message | null; transfer?: Transfer | null };
  offer_withdrawn: { conversationId: string; reason: 'expired' | 'rejected' | 'accepted' | 'closed' | 'reassigned' | 'unavailable' };
  /**
   * A customer's message also carries the window it re-opened, and is followed by that `window`
   * event under the same id (one entry of the relay's log): a stream that drops between the two
   * has the window already.
   */
  message: { conversationId: string; message: Message; windowExpiresAt?: string | null };
  status: {
    conversationId: string;
    messageId: string;
    status: MessageStatus;
    errorCode: number | null;
    errorMessage: string | null;
    /** On a failed or undelivered message with Twilio's code: what happened and what to do (as Message.error). */
    error?: MessageError;
    /** An agent retried the failed message: it is queued again, the one move back a status makes. */
    retried?: true;
  };
  state: { conversationId: string; conversation: Conversation };
  /** `serverTime` lets the panel count down on the relay's clock (the simulator can move it). */
  window: { conversationId: string; windowExpiresAt: string | null; serverTime?: string };
  note: { conversationId: string; note: Note };
  presence: { agentId: string; presence: Presence };
  // Team work: queues, transfer, consult, wrap-up
  /** To the consultant: invited, or `ended: true` when the consult ends. */
  consult: { conversationId: string; conversation: Conversation; ended: boolean };
  queue: QueueCounts;
}
export type RelayEventType = keyof RelayEvents;
export type RelayEvent = {
  [K in RelayEventType]: { id: string; type: K; data: RelayEvents[K] };
}[RelayEventType];

// Team work: queues, transfer, consult, wrap-up

export const Disposition = Type.Object({ id: Type.String(), label: Type.String() });
export type Disposition = Static<typeof Disposition>;
export const DispositionList = Type.Object({ items: Type.Array(Disposition) });

export const QueueCounts = Type.Object({
  queueId: Type.String(),
  /** Conversations waiting for an agent: open, not yet accepted. */
  waiting: Type.Integer({ minimum: 0 }),
  longestWaitSince: Nullable(Type.String({ format: 'date-time' })),
  /** The queue itself changed (name, members, numbers): a panel reads its queues again (GET /api/v1/queues). */
  reconfigured: Type.Optional(Type.Literal(true)),
});
export type QueueCounts = Static<typeof QueueCounts>;

export const Queue = Type.Object({
  id: Type.String(),
  name: Type.String(),
  /** Business numbers (`whatsapp:+…`) whose conversations it takes. */
  numbers: Type.Array(Type.String()),
  agentIds: Type.Array(Type.String()),
  waiting: Type.Integer({ minimum: 0 }),
  longestWaitSince: Nullable(Type.String({ format: 'date-time' })),
});
export type Queue = Static<typeof Queue>;
export const QueueList = Type.Object({ items: Type.Array(Queue) });

export const QueueRequest = Type.Object(
  {
    // Not blank: the name is what supervisors and agents see.
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    agentIds: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 500 }),
    numbers: Type.Array(Type.String({ pattern: '^whatsapp:\\+[1-9]\\d{6,14}$' }), { maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type QueueRequest = Static<typeof QueueRequest>;

/** Exactly one of `agentId` and `queueId`. */
export const TransferRequest = Type.Object(
  {
    agentId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    queueId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type TransferRequest = Static<typeof TransferRequest>;

/** A colleague as a holder sees one when choosing whom to transfer to or consult. */
export const AgentSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  presence: Presence,
  /** Whether it can be offered one more conversation now (presence and capacity, as routing counts them). */
  available: Type.Boolean(),
});
export type AgentSummary = Static<typeof AgentSummary>;
export const AgentList = Type.Object({ items: Type.Array(AgentSummary) });

export const AgentRequest = Type.Object({ agentId: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });
export type AgentRequest = Static<typeof AgentRequest>;

export const SupervisorOverview = Type.Object({
  agents: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), presence: Presence, load: Type.Integer({ minimum: 0 }), capacity: Type.Integer({ minimum: 0 }) }),
  ),
  queues: Type.Array(Queue),
  conversations: Type.Array(
    Type.Object({
      id: Type.String(),
      state: ConversationState,
      agentId: Nullable(Type.String()),
      /** An open conversation's live offer: the agent it waits on to accept, else null. */
      offeredTo: Type.Optional(Nullable(Type.String())),
      queueId: Type.String(),
      customer: Customer,
      windowExpiresAt: Nullable(Type.String({ format: 'date-time' })),
      /** The latest inbound message's figures, or null. */
      sentiment: Nullable(MessageSentiment),
      /** Since when it waits for an agent (open conversations), else null. */
      waitingSince: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  /** How many conversations are live (not closed): more than `conversations` lists when it holds only the newest. */
  conversationsTotal: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type SupervisorOverview = Static<typeof SupervisorOverview>;

/**
 * A CRM write Dataverse refused for good (a 4xx other than 401/429: no security role, a bad
 * column), kept with its error for supervisors instead of being retried forever. The next
 * change to the conversation tries again, and takes it off this list.
 */
export const CrmFailure = Type.Object({
  conversationId: Type.String(),
  /** Attempts made before it was given up. */
  attempts: Type.Integer({ minimum: 0 }),
  failedAt: Type.String({ format: 'date-time' }),
  /** Dataverse's answer, naming the fix where there is one (e.g. the security role to grant). */
  error: Type.String(),
});
export type CrmFailure = Static<typeof CrmFailure>;
export const CrmFailureList = Type.Object({ items: Type.Array(CrmFailure) });
export type CrmFailureList = Static<typeof CrmFailureList>;
/** A supervisor's "Retry" once the cause is fixed: the given conversations' refused writes (none given: every one listed). */
export const CrmRetryRequest = Type.Object({ conversationIds: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 200 })) });
export type CrmRetryRequest = Static<typeof CrmRetryRequest>;
/** The conversations whose writes are due again. */
export const CrmRetryResult = Type.Object({ retried: Type.Array(Type.String()) });
export type CrmRetryResult = Static<typeof CrmRetryResult>;
