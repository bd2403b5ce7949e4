import { msg } from '@lit/localize';
import { AUTO_CLOSED_DISPOSITION } from '@wcp/protocol/values';
import type { Disposition } from '@wcp/protocol';

/**
 * A disposition as the agent reads it, in the panel's language. The relay's list carries
 * English labels (it is also the API's); the ones it ships with are translated here, and one
 * a relay was given beyond them shows its own label. An id not in the list shows as itself.
 */
export function dispositionLabel(id: string, list: readonly Disposition[] = []): string {
  switch (id) {
    case 'resolved':
      return msg('Resolved');
    case 'follow-up':
      return msg('Follow-up needed');
    case 'no-response':
      return msg('No response');
    case 'spam':
      return msg('Spam');
    case AUTO_CLOSED_DISPOSITION:
      return msg('Auto-closed');
    default:
      return list.find((d) => d.id === id)?.label ?? id;
  }
}
