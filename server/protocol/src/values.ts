/**
 * The protocol's plain values, with no runtime dependency (no TypeBox): the panel imports them
 * from `@wcp/protocol/values` without pulling schema code into its bundle.
 */
export const PRESENCES = ['available', 'busy', 'dnd', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];
/** Presences that can be offered conversations: the router's rule, and the panel's empty state says when the agent's is not one. */
export const ROUTABLE_PRESENCES: readonly Presence[] = ['available', 'busy'];

/**
 * The dispositions an agent closes a conversation with (GET /api/v1/dispositions), with their
 * English labels; the panel words each in the agent's language by its id.
 */
export const DISPOSITIONS = [
  { id: 'resolved', label: 'Resolved' },
  { id: 'follow-up', label: 'Follow-up needed' },
  { id: 'no-response', label: 'No response' },
  { id: 'spam', label: 'Spam' },
] as const;
export type DispositionId = (typeof DISPOSITIONS)[number]['id'];

/** The disposition the relay sets when a conversation closes itself (waiting: AUTO_CLOSE_AFTER; wrap-up: WRAP_UP_CLOSE_AFTER); never an agent's choice. */
export const AUTO_CLOSED_DISPOSITION = 'auto-closed';

export const CONVERSATION_STATES = ['open', 'active', 'waiting', 'wrapup', 'closed'] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

/** Media types WhatsApp accepts from a business (Twilio's list), and their extensions. */
export const WHATSAPP_MEDIA_TYPES: Readonly<Record<string, readonly string[]>> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'audio/mpeg': ['mp3'],
  'audio/ogg': ['ogg', 'oga'],
  'audio/amr': ['amr'],
  'audio/aac': ['aac'],
  'video/mp4': ['mp4'],
  'application/pdf': ['pdf'],
  'application/msword': ['doc'],
  'application/vnd.ms-excel': ['xls'],
  'application/vnd.ms-powerpoint': ['ppt'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
};

/** WhatsApp's size limit per media type: images 5 MB, everything else 16 MB. */
export function whatsappMediaMaxBytes(contentType: string): number {
  return contentType.startsWith('image/') ? 5 * 1024 * 1024 : 16 * 1024 * 1024;
}

/**
 * The longest body WhatsApp takes through Twilio (error 21617 beyond it), counted in UTF-16
 * code units as Twilio counts them (an emoji is two): the relay refuses more with
 * `422 body_too_long`, the panel's counter stops Send before that.
 */
export const WHATSAPP_MAX_BODY_CHARS = 1600;

/**
 * The longest caption WhatsApp shows under a photo, video or document (Meta's media messages:
 * "Maximum 1024 characters"); Twilio would take up to 1,600 and WhatsApp refuse the rest.
 */
export const WHATSAPP_MAX_CAPTION_CHARS = 1024;

/**
 * How long a reply's text may be: a caption when a file goes with it, the text above the buttons
 * when quick-reply buttons do (Twilio's twilio/quick-reply: "Maximum length: 1,024 characters"),
 * a message body otherwise.
 */
export function whatsappBodyLimit(reply: { media: boolean; buttons: boolean }): number {
  return reply.media || reply.buttons ? WHATSAPP_MAX_CAPTION_CHARS : WHATSAPP_MAX_BODY_CHARS;
}

/** The number of UTF-16 code units Twilio counts in a body (JavaScript's `length`, named so both sides count alike). */
export function whatsappBodyLength(body: string): number {
  return body.length;
}

/** A session reply carries at most this many quick-reply buttons, each title at most this long (WhatsApp's rule). */
export const WHATSAPP_MAX_BUTTONS = 3;
export const WHATSAPP_MAX_BUTTON_TITLE_CHARS = 20;

/**
 * A title two of a reply's buttons share (trimmed, case ignored), or null. WhatsApp wants each
 * reply button's title unique within its message: the customer could not tell two apart.
 */
export function repeatedButtonTitle(titles: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const title of titles) {
    const key = title.trim().toLocaleLowerCase();
    if (key && seen.has(key)) return title.trim();
    seen.add(key);
  }
  return null;
}

/** Only approved templates can be sent; a template without a status (configured by hand) counts as approved. */
export function isTemplateSendable(template: { status?: string }): boolean {
  return (template.status ?? 'approved') === 'approved';
}

export const WINDOW_EXPIRED_MESSAGE =
  'This conversation has exceeded the 24 hour limit to respond to the customer.';

/** The longest wrap-up summary an agent or supervisor may write when closing a conversation. */
export const WRAP_UP_SUMMARY_MAX_CHARS = 4000;

/**
 * An offer reads as a transfer ("Transferred by …" and the note) to anyone but the agent who
 * transferred it: offered back to them later (their colleague rejected it, the router came
 * round again), it is their own conversation returning, not a colleague's hand-over.
 */
export function transferShownTo<T extends { fromAgentId: string }>(transfer: T | null | undefined, agentId: string | null | undefined): T | null {
  return transfer && transfer.fromAgentId !== agentId ? transfer : null;
}
