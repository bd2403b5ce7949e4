/** Errors are values with a code and a human message; the HTTP layer maps them once. */
// From /values, not the package root: the domain needs these constants, not TypeBox and every
// wire schema, which the root loads (test/bench/README.md, relay RSS).
import { WINDOW_EXPIRED_MESSAGE } from '@wcp/protocol/values';
import { ERROR_STATUS } from '@wcp/protocol/errors';
export class DomainError extends Error {
    code;
    name = 'DomainError';
    constructor(code, message) {
        super(message);
        this.code = code;
    }
    get httpStatus() {
        return ERROR_STATUS[this.code];
    }
}
export const windowExpired = () => new DomainError('window_expired', WINDOW_EXPIRED_MESSAGE);
export const notFound = (what) => new DomainError('not_found', `${what} not found.`);
//# sourceMappingURL=errors.js.map