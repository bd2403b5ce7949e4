/**
 * The rules for the library admins keep in the CRM (quick replies `wcp_quickreply`, agent
 * scripts `wcp_agentscript`), shared by every CrmPort adapter (Dataverse in pcf/, the demo's
 * in-memory CRM) so they read the same rows the same way.
 */
import type { AgentScript } from '@wcp/protocol';

type ScriptStep = AgentScript['steps'][number];

/** "pt-BR" → "pt": an agent in Brazilian Portuguese also gets replies written for "pt". */
const primary = (tag: string) => tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';

/**
 * The rows for an agent's language: those in it (same primary language subtag) plus those
 * with no language; when none is in it, every row — an agent sees English replies rather
 * than none. Order is kept.
 */
export function inAgentLanguage<T>(rows: readonly T[], languageOf: (row: T) => string | null | undefined, agentLanguage: string): T[] {
  const wanted = primary(agentLanguage);
  const inIt = rows.filter((row) => wanted !== '' && primary(languageOf(row) ?? '') === wanted);
  if (inIt.length === 0) return [...rows];
  return rows.filter((row) => inIt.includes(row) || !languageOf(row)?.trim());
}

/** Separates a step's title from the text it inserts into the composer: `Greet the customer | Hi {customer.name}!` */
export const STEP_TEXT_SEPARATOR = ' | ';

/** "1. ", "2) ", "- ", "* ", "• ": admins number or bullet their lines; the panel numbers them itself. */
const LIST_MARKER = /^(?:\d+[.)]|[-*•])\s+/;

/**
 * `wcp_steps` as the panel's steps: one step a line, in order, blank lines skipped. A line
 * `title | text` gives a step that can insert `text` (placeholders allowed); a line without
 * the separator is an instruction only (no text to insert). Ids are the step's position, so
 * an agent's ticks stay on the same steps while the script is unchanged.
 */
export function scriptSteps(steps: string | null | undefined): ScriptStep[] {
  return (steps ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim().replace(LIST_MARKER, ''))
    .filter((line) => line !== '')
    .map((line, index) => {
      const at = line.indexOf(STEP_TEXT_SEPARATOR);
      const title = at < 0 ? line : line.slice(0, at).trim();
      const text = at < 0 ? null : line.slice(at + STEP_TEXT_SEPARATOR.length).trim() || null;
      return { id: `step-${index + 1}`, title: title || (text ?? ''), text };
    });
}
