import { msg, str } from '@lit/localize';
import { WHATSAPP_MEDIA_TYPES, whatsappMediaMaxBytes } from './protocol-values.js';

/** Twilio's limit for one WhatsApp media message (the panel's `max-attachment-bytes` may lower it). */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024;

export const ACCEPTED_FILE_TYPES = Object.entries(WHATSAPP_MEDIA_TYPES)
  .flatMap(([type, extensions]) => [type, ...extensions.map((extension) => `.${extension}`)])
  .join(',');

/**
 * Why this file cannot be sent on WhatsApp, or null when it can: the type list and the size
 * limit per type (images 5 MB, the rest 16 MB) are the relay's own, from `@wcp/protocol`, so
 * the panel refuses before uploading exactly what the relay would refuse after.
 */
export function attachmentProblem(file: Pick<File, 'name' | 'type' | 'size'>, maxBytes: number): string | null {
  const extension = file.name.includes('.') ? file.name.split('.').pop()!.toLowerCase() : '';
  const type = file.type || Object.keys(WHATSAPP_MEDIA_TYPES).find((t) => WHATSAPP_MEDIA_TYPES[t]!.includes(extension)) || '';
  if (!WHATSAPP_MEDIA_TYPES[type]) {
    const allowed = [...new Set(Object.values(WHATSAPP_MEDIA_TYPES).map((extensions) => extensions[0]!.toUpperCase()))].join(', ');
    return msg(str`"${file.name}" cannot be sent on WhatsApp. Allowed file types: ${allowed}.`);
  }
  const whatsappLimit = whatsappMediaMaxBytes(type);
  if (file.size > whatsappLimit) {
    const limit = formatBytes(whatsappLimit);
    return type.startsWith('image/')
      ? msg(str`"${file.name}" is ${formatBytes(file.size)}; WhatsApp takes JPEG and PNG images up to ${limit}.`)
      : msg(str`"${file.name}" is ${formatBytes(file.size)}; WhatsApp takes audio, video and documents up to ${limit}.`);
  }
  if (file.size > maxBytes) {
    return msg(str`"${file.name}" is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`);
  }
  return null;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}
