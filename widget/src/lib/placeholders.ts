/** What placeholders such as {customer.name}, {agent.name} and {record.<field>} are filled from. */
export interface PlaceholderContext {
  customerName: string;
  agentName: string;
  /** Record columns by logical name (the form's record, then the matched contact). */
  record: Readonly<Record<string, string>>;
}

/** The value for a source such as `customer.name`, `agent.name` or `record.ticketnumber`; '' if unknown. */
export function resolvePlaceholder(source: string | null | undefined, context: PlaceholderContext): string {
  if (!source) return '';
  if (source === 'customer.name') return context.customerName;
  if (source === 'agent.name') return context.agentName;
  if (source.startsWith('record.')) return context.record[source.slice('record.'.length)] ?? '';
  return '';
}

/** Fills known placeholders; unknown ones stay visible so the agent sees what is missing. */
export function fillPlaceholders(text: string, context: PlaceholderContext): string {
  return text.replace(/\{((?:customer|agent|record)\.[\w.-]+)\}/g, (whole, source: string) => {
    const value = resolvePlaceholder(source, context);
    return value || whole;
  });
}

/** A Content API template body ({{1}}, {{2}}) with its variables substituted. */
export function renderTemplateBody(body: string, variables: Readonly<Record<string, string>>): string {
  return body.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => variables[key] || whole);
}
