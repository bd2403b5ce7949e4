import { msg, str } from '@lit/localize';
import { WHATSAPP_MEDIA_TYPES } from './protocol-values.js';

/** Twilio's limit for one WhatsApp media message. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024;

export const ACCEPTED_FILE_TYPES = Object.entries(WHATSAPP_MEDIA_TYPES)
  .flatMap(([type, extensions]) => [type, ...extensions.map((extension) => `.${extension}`)])
  .join(',');

/** Why this file cannot be sent on WhatsApp, or null when it can. */
export function attachmentProblem(file: Pick<File, 'name' | 'type' | 'size'>, maxBytes: number): string | null {
  const extension = file.name.includes('.') ? file.name.split('.').pop()!.toLowerCase() : '';
  const type = file.type || Object.keys(WHATSAPP_MEDIA_TYPES).find((t) => WHATSAPP_MEDIA_TYPES[t]!.includes(extension)) || '';
  if (!WHATSAPP_MEDIA_TYPES[type]) {
    const allowed = [...new Set(Object.values(WHATSAPP_MEDIA_TYPES).map((extensions) => extensions[0]!.toUpperCase()))].join(', ');
    return msg(str`"${file.name}" cannot be sent on WhatsApp. Allowed file types: ${allowed}.`);
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
