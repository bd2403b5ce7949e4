/** Errors are values with a code and a human message; the HTTP layer maps them once. */
import { WINDOW_EXPIRED_MESSAGE } from '../protocol/index.ts';

export type DomainErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'invalid_transition'
  | 'offer_not_yours'
  | 'offer_expired'
  | 'window_expired'
  | 'invalid_request'
  | 'media_not_found'
  | 'not_retryable';

const HTTP_STATUS: Record<DomainErrorCode, number> = {
  not_found: 404,
  forbidden: 404, // another agent's conversation looks like no conversation at all
  invalid_transition: 409,
  offer_not_yours: 409,
  offer_expired: 409,
  window_expired: 422,
  invalid_request: 400,
  media_not_found: 404,
  not_retryable: 409,
};

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

export const windowExpired = () => new DomainError('window_expired', WINDOW_EXPIRED_MESSAGE);
export const notFound = (what: string) => new DomainError('not_found', `${what} not found.`);
