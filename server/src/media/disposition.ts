/**
 * The Content-Disposition a served attachment carries. Twilio names the file the customer
 * receives after it, and the panel's "open" shows it: the name must arrive as the agent gave
 * it, accents and Arabic script included, so it goes as RFC 6266's `filename*` (UTF-8) with
 * an ASCII `filename` fallback for old clients. Quoting and encoding are content-disposition's
 * (jshttp), which also keeps quotes, backslashes and line breaks in a name out of the header.
 */
import { create } from 'content-disposition';
// jshttp's RFC 7231 media-type parser (as content-disposition, the same maintainers): a header
// that is not one media type (`image/png, text/html`, which a browser reads as its last) is refused.
import { format as formatContentType, parse as parseContentType } from 'content-type';
import { WHATSAPP_MEDIA_TYPES } from '@wcp/protocol';

export const inlineDisposition = (filename: string | null): string => create(filename ?? undefined, { type: 'inline' });

/** Types a browser shows or downloads and never runs: photos, voice notes, videos, documents, contact cards, text. */
function isPassive(type: string): boolean {
  return (
    (type.startsWith('image/') && type !== 'image/svg+xml') ||
    type.startsWith('audio/') ||
    type.startsWith('video/') ||
    type in WHATSAPP_MEDIA_TYPES ||
    type === 'text/vcard' ||
    type === 'text/x-vcard' ||
    type === 'text/plain'
  );
}

/**
 * How a media file goes out on the relay's origin: a passive type as it is, inline; anything else
 * (HTML, SVG, XML, a script, whatever Twilio's answer claims) as bytes to download, so a file a
 * customer sent can never run as a page of the relay's, whatever the panel does with it.
 */
export function servedMedia(contentType: string, filename: string | null): { type: string; disposition: string } {
  const parsed = oneMediaType(contentType);
  return parsed && isPassive(parsed.type)
    ? { type: formatContentType(parsed), disposition: inlineDisposition(filename) }
    : { type: 'application/octet-stream', disposition: create(filename ?? undefined, { type: 'attachment' }) };
}

/** The header as one media type, lower-cased, its parameters kept (a text's charset); null when it is not one. */
function oneMediaType(contentType: string): ReturnType<typeof parseContentType> | null {
  try {
    return parseContentType(contentType);
  } catch {
    return null;
  }
}
