/**
 * The Content-Disposition a served attachment carries. Twilio names the file the customer
 * receives after it, and the panel's "open" shows it: the name must arrive as the agent gave
 * it, accents and Arabic script included, so it goes as RFC 6266's `filename*` (UTF-8) with
 * an ASCII `filename` fallback for old clients. Quoting and encoding are content-disposition's
 * (jshttp), which also keeps quotes, backslashes and line breaks in a name out of the header.
 */
import { create } from 'content-disposition';

export const inlineDisposition = (filename: string | null): string => create(filename ?? undefined, { type: 'inline' });
