import { msg } from '@lit/localize';
import { AUTO_CLOSED_DISPOSITION, type DispositionId } from '@wcp/protocol/values';
import type { Disposition } from '@wcp/protocol';

/** Each disposition the relay ships with (@wcp/protocol/values DISPOSITIONS), in the panel's language. */
const LABELS: Record<DispositionId | typeof AUTO_CLOSED_DISPOSITION, () => string> = {
  resolved: () => msg('Resolved'),
  'follow-up': () => msg('Follow-up needed'),
  'no-response': () => msg('No response'),
  spam: () => msg('Spam'),
  [AUTO_CLOSED_DISPOSITION]: () => msg('Auto-closed'),
};

/**
 * A disposition as the agent reads it, in the panel's language. The relay's list carries
 * English labels (it is also the API's); the ones it ships with are translated here, and one
 * a relay was given beyond them shows its own label. An id not in the list shows as itself.
 */
export function dispositionLabel(id: string, list: readonly Disposition[] = []): string {
  const translated = Object.prototype.hasOwnProperty.call(LABELS, id) ? LABELS[id as keyof typeof LABELS] : undefined;
  return translated?.() ?? list.find((d) => d.id === id)?.label ?? id;
}
