/**
 * The relay's log lines: one JSON object per line (pino, through Fastify), each request's
 * with its `reqId`. Customer privacy by construction: request lines carry the route pattern,
 * never the URL's query or a body; phone numbers are masked where code logs them
 * (domain/phone.ts maskPhone); and the places a secret or a customer's data could still reach
 * a line — credentials in headers, row values PostgreSQL quotes in an error's `detail` — are
 * censored here. server/test/app/logging.test.ts drives real traffic and reads every line.
 */
import type { DestinationStream, LoggerOptions } from 'pino';

const REDACTED = [
  'req.headers.authorization',
  'req.headers["x-twilio-signature"]',
  'req.headers.cookie',
  // "Key (customer_phone, business_phone)=(+4477…, …) already exists": row values, not for logs.
  'err.detail',
  'err.where',
  'err.parameters',
];

export function loggerOptions(level: string, stream?: DestinationStream): LoggerOptions & { stream?: DestinationStream } {
  return { level, redact: { paths: REDACTED, censor: '[redacted]' }, ...(stream ? { stream } : {}) };
}
