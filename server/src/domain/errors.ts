/** Errors are values with a code and a human message; the HTTP layer maps them once. */
// From /values, not the package root: the domain needs these constants, not TypeBox and every
// wire schema, which the root loads (test/bench/README.md, relay RSS).
import { WINDOW_EXPIRED_MESSAGE } from '@wcp/protocol/values';
import { ERROR_STATUS, type ErrorCode } from '@wcp/protocol/errors';

export type DomainErrorCode = ErrorCode;

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
  get httpStatus(): number {
    return ERROR_STATUS[this.code];
  }
}

/** A thrown value and the causes it wraps (`cause`), outermost first, as far as five deep: where a driver's code may be. */
export function* errorChain(error: unknown): Generator<object> {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) yield e;
}

/** What a thrown value says, for a log line or a person (anything may be thrown, not only an Error). */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export const windowExpired = () => new DomainError('window_expired', WINDOW_EXPIRED_MESSAGE);
export const notFound = (what: string) => new DomainError('not_found', `${what} not found.`);
