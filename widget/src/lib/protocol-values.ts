/**
 * Values copied from the wire protocol (server/src/protocol): the widget imports the
 * protocol type-only, so it must not pull the relay's runtime code into the bundle.
 * lib/protocol-values.test.ts fails if these drift from the protocol.
 */
import type { ConversationState, Presence } from '@wcp/protocol';

export const WINDOW_EXPIRED_MESSAGE =
  'This conversation has exceeded the 24 hour limit to respond to the customer.';

/** Media types WhatsApp accepts from a business, with their file extensions. */
export const WHATSAPP_MEDIA_TYPES: Readonly<Record<string, readonly string[]>> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'audio/mpeg': ['mp3'],
  'audio/ogg': ['ogg', 'oga'],
  'audio/amr': ['amr'],
  'video/mp4': ['mp4'],
  'application/pdf': ['pdf'],
};

export const PRESENCES: readonly Presence[] = ['available', 'busy', 'dnd', 'away', 'offline'];
export const CONVERSATION_STATES: readonly ConversationState[] = ['open', 'active', 'waiting', 'wrapup', 'closed'];
