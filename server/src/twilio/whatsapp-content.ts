/**
 * What a customer's WhatsApp message shows beyond its text: a location, contact cards, a
 * tapped button, a forwarded mark — or, for what the panel cannot show (a reaction, a
 * poll, a type WhatsApp adds later), a placeholder with Twilio's MessageType and the raw
 * parameters kept. Pure: the vCard's bytes are read by the caller. A message is never
 * stored with an empty body unless it carries media.
 */
import type { MessageContact } from '@wcp/protocol';
import type { WhatsAppExtras } from '../store/port.ts';
import type { InboundMessage } from './inbound.ts';

/** MessageType values the panel shows (text, media, location, contacts, buttons); any other is a placeholder. */
export const SHOWN_MESSAGE_TYPES: readonly string[] = ['text', 'image', 'video', 'audio', 'voice', 'document', 'sticker', 'media', 'location', 'contacts', 'button', 'interactive'];

export const isVCard = (contentType: string): boolean => /^text\/(x-)?vcard\b/i.test(contentType.trim());

/** `contacts`: the cards of the message's vCard attachment, null when it has none. */
export function inboundContent(m: InboundMessage, contacts: MessageContact[] | null): { body: string; whatsapp: WhatsAppExtras | null } {
  const extras: WhatsAppExtras = {};
  if (m.location) extras.location = m.location;
  if (contacts) extras.contacts = contacts;
  if (m.buttonText) extras.button = { text: m.buttonText, payload: m.buttonPayload };
  if (m.forwarded) extras.forwarded = true;
  const shown = m.body !== '' || m.media.length > 0 || m.location !== null || m.buttonText !== null;
  const known = m.messageType === null || SHOWN_MESSAGE_TYPES.includes(m.messageType.toLowerCase());
  if (!known || !shown) {
    extras.unsupported = true;
    extras.messageType = m.messageType ?? 'unknown';
    extras.raw = m.raw;
  }
  const body = m.body || fallbackBody(extras);
  return { body, whatsapp: Object.keys(extras).length ? extras : null };
}

/** Plain text for the transcript, search and CRM record when WhatsApp sent no Body. */
function fallbackBody(x: WhatsAppExtras): string {
  if (x.button) return x.button.text;
  if (x.location) {
    const place = [x.location.label, x.location.address].filter(Boolean).join(', ');
    return `Location: ${place || `${x.location.latitude}, ${x.location.longitude}`}`;
  }
  if (x.contacts) {
    const cards = x.contacts.map((c) => (c.phones.length ? `${c.name} (${c.phones.join(', ')})` : c.name));
    return cards.length ? `Contact: ${cards.join('; ')}` : 'Contact card';
  }
  if (x.unsupported) return `The customer sent a WhatsApp message the panel cannot show (${x.messageType}).`;
  return '';
}
