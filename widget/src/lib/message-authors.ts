/**
 * Who wrote an agent's message, as the agent reading the transcript should be told: after a
 * transfer, or in a consult, some of the agent messages are a colleague's, not "You".
 */
import { msg } from '@lit/localize';

export interface MessageAuthors {
  /** The agent reading the transcript (null before sign-in: every agent message is theirs). */
  readonly selfId: string | null;
  /** Colleagues' names by agent id. */
  readonly names: ReadonlyMap<string, string>;
}

export const NO_AUTHORS: MessageAuthors = { selfId: null, names: new Map() };

/** A colleague's name for their message, or null for the reader's own (and for one no agent wrote: a relay's). */
export function colleagueAuthor(authors: MessageAuthors, agentId: string | null | undefined): string | null {
  if (!agentId || authors.selfId === null || agentId === authors.selfId) return null;
  return authors.names.get(agentId) ?? msg('Another agent');
}
