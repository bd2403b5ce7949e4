/**
 * Placeholders in quick replies, scripts and knowledge text — {customer.name},
 * {customer.firstName}, {agent.name}, {record.<field>} — and template variables: the one place
 * that fills them and that says which ones are still empty (Send is blocked while any is).
 */

/** What placeholders such as {customer.name}, {agent.name} and {record.<field>} are filled from. */
export interface PlaceholderContext {
  customerName: string;
  agentName: string;
  /** Record columns by logical name (the form's record, then the matched contact). */
  record: Readonly<Record<string, string>>;
  /** The customer's other details by name (firstName, lastName, phone, email); `name` is customerName. */
  customer?: Readonly<Record<string, string>>;
}

const PLACEHOLDER = /\{((?:customer|agent|record)\.[\w.-]+)\}/g;

/** The value for a source such as `customer.name`, `agent.name` or `record.ticketnumber`; '' if unknown. */
export function resolvePlaceholder(source: string | null | undefined, context: PlaceholderContext): string {
  if (!source) return '';
  if (source === 'customer.name') return context.customerName;
  if (source === 'agent.name') return context.agentName;
  if (source.startsWith('customer.')) return context.customer?.[source.slice('customer.'.length)] ?? '';
  if (source.startsWith('record.')) return context.record[source.slice('record.'.length)] ?? '';
  return '';
}

/** Fills known placeholders; unknown ones stay visible so the agent sees what is missing. */
export function fillPlaceholders(text: string, context: PlaceholderContext): string {
  return text.replace(PLACEHOLDER, (whole, source: string) => resolvePlaceholder(source, context) || whole);
}

/**
 * The placeholders (e.g. `record.ticketnumber`) that filling leaves in the text, each once, in
 * order: the text must not reach the customer until the agent has filled them in.
 */
export function unfilledPlaceholders(text: string, context: PlaceholderContext): string[] {
  const missing = [...fillPlaceholders(text, context).matchAll(PLACEHOLDER)].map((match) => match[1]!);
  return [...new Set(missing)];
}

/** A Content API template body ({{1}}, {{2}}) with its variables substituted. */
export function renderTemplateBody(body: string, variables: Readonly<Record<string, string>>): string {
  return body.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => variables[key] || whole);
}
