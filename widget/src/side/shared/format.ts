/** Date and time as the agent's browser locale writes it, e.g. "25 Nov 2025, 14:03". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

const STATE_LABELS: Record<string, string> = {
  open: 'Open',
  active: 'Active',
  waiting: 'Waiting',
  wrapup: 'Wrap-up',
  closed: 'Closed',
};

/** Omnichannel's names for conversation states. */
export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

const ENTITY_LABELS: Record<string, string> = { contact: 'Contact', account: 'Account', incident: 'Case' };

/** What the agent calls a CRM entity ("incident" is a Case). */
export function entityLabel(entityType: string): string {
  return ENTITY_LABELS[entityType] ?? entityType;
}
