import { msg } from '@lit/localize';

/** Date and time in the panel's locale, e.g. "25 Nov 2025, 14:03". */
export { formatDateTime } from '../../lib/time.js';
/** Omnichannel's names for conversation states. */
export { stateLabel } from '../../lib/conversation-state.js';

/** What the agent calls a CRM entity ("incident" is a Case). */
export function entityLabel(entityType: string): string {
  switch (entityType) {
    case 'contact':
      return msg('Contact');
    case 'account':
      return msg('Account');
    case 'incident':
      return msg('Case');
    default:
      return entityType;
  }
}
