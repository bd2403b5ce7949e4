import { WHATSAPP_MEDIA_TYPES } from './protocol-values.js';

/**
 * The blob an attachment is shown from, typed so that opening it cannot run script. Its type is
 * the customer's (a WhatsApp document may be any file), and a blob: URL belongs to the page that
 * made it — the one hosting the panel (Dynamics): an HTML or SVG file opened in a new tab ("Open
 * link in new tab", "Open image in new tab") would run there, as the agent. Pictures (but SVG),
 * sound, video and WhatsApp's document types keep their type, so they still show and play;
 * anything else becomes application/octet-stream, which a browser only downloads.
 */
export function inertMediaBlob(blob: Blob): Blob {
  const type = blob.type.split(';', 1)[0]!.trim().toLowerCase();
  const passive = (/^(image|audio|video)\//.test(type) && type !== 'image/svg+xml') || type in WHATSAPP_MEDIA_TYPES;
  return passive ? blob : new Blob([blob], { type: 'application/octet-stream' });
}
