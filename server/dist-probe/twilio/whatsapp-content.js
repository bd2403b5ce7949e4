/** MessageType values the panel shows (text, media, location, contacts, buttons); any other is a placeholder. */
export const SHOWN_MESSAGE_TYPES = ['text', 'image', 'video', 'audio', 'voice', 'document', 'sticker', 'media', 'location', 'contacts', 'button', 'interactive'];
export const isVCard = (contentType) => /^text\/(x-)?vcard\b/i.test(contentType.trim());
/** `contacts`: the cards of the message's vCard attachment, null when it has none. */
export function inboundContent(m, contacts) {
    const extras = {};
    if (m.location)
        extras.location = m.location;
    if (contacts)
        extras.contacts = contacts;
    if (m.buttonText)
        extras.button = { text: m.buttonText, payload: m.buttonPayload };
    if (m.forwarded)
        extras.forwarded = true;
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
function fallbackBody(x) {
    if (x.button)
        return x.button.text;
    if (x.location) {
        const place = [x.location.label, x.location.address].filter(Boolean).join(', ');
        return `Location: ${place || `${x.location.latitude}, ${x.location.longitude}`}`;
    }
    if (x.contacts) {
        const cards = x.contacts.map((c) => (c.phones.length ? `${c.name} (${c.phones.join(', ')})` : c.name));
        return cards.length ? `Contact: ${cards.join('; ')}` : 'Contact card';
    }
    if (x.unsupported)
        return `The customer sent a WhatsApp message the panel cannot show (${x.messageType}).`;
    return '';
}
//# sourceMappingURL=whatsapp-content.js.map