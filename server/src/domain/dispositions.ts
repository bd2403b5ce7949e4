/** Wrap-up dispositions: the configured list an agent closes a conversation with, and the one reserved for auto-close. */
import type { Disposition } from '@wcp/protocol';
import { DISPOSITIONS as DEFAULT_DISPOSITIONS } from '@wcp/protocol/values';
import { DomainError } from './errors.ts';

export const DISPOSITIONS: readonly Disposition[] = DEFAULT_DISPOSITIONS;

/** Set by the relay when a waiting conversation closes itself; never chosen by an agent. */
export { AUTO_CLOSED_DISPOSITION as AUTO_CLOSED } from '@wcp/protocol/values';

/** The disposition an agent's close carries: required while the list is not empty, and one of the list. */
export function checkDisposition(disposition: string | null, list: readonly Disposition[] = DISPOSITIONS): string | null {
  if (list.length === 0) return disposition;
  if (disposition === null) throw new DomainError('disposition_required', 'Choose a disposition to close the conversation.');
  if (!list.some((d) => d.id === disposition)) throw new DomainError('unknown_disposition', `"${disposition}" is not a disposition in the list.`);
  return disposition;
}
