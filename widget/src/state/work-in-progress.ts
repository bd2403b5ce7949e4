import type { WrapUpDraft } from '../events/wrap-up-change-event.js';
import type { PanelState } from './panel-store.js';

/**
 * What the agent is in the middle of, kept across a reload of the panel (the CRM form reloads
 * it often): each session's draft, wrap-up and unread count, the order of the session tabs and
 * the one shown. It lives in the tab's sessionStorage, per agent, as the offline outbox does
 * (relay/outbox.ts): a reload keeps it, closing the tab does not, and neither another tab nor
 * another agent signing in here ever reads it. Only sessions are kept: an offer has no work yet,
 * and what the relay holds (transcripts, states, windows) is loaded again.
 */
export interface WorkInProgress {
  /** The session tabs' conversation ids, in the order the agent had them. */
  order: readonly string[];
  selectedId: string | null;
  drafts: ReadonlyMap<string, string>;
  wrapUps: ReadonlyMap<string, WrapUpDraft>;
  unread: ReadonlyMap<string, number>;
}

/** The part of `Storage` the work in progress needs (sessionStorage in the browser, a Map in tests). */
export type WorkStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Typing goes on while this passes: one write for a burst of keystrokes, not one per key. */
export const WORK_WRITE_DELAY_MS = 300;
/** Changed whenever the stored shape changes: an older panel's data is then ignored, not misread. */
const FORMAT = 1;

export function workInProgressKey(agentId: string): string {
  return `wcp-work:${agentId}`;
}

/** The work in progress of the panel's sessions (what is empty is left out). */
export function workInProgressOf(state: PanelState): WorkInProgress {
  const order = state.sessions.map((s) => s.id);
  const isSession = new Set(order);
  const ofSessions = <V>(map: ReadonlyMap<string, V>, kept: (value: V) => boolean) => new Map([...map].filter(([id, value]) => isSession.has(id) && kept(value)));
  return {
    order,
    selectedId: state.selectedId !== null && isSession.has(state.selectedId) ? state.selectedId : null,
    drafts: ofSessions(state.drafts, (draft) => draft !== ''),
    wrapUps: ofSessions(state.wrapUps, (wrapUp) => wrapUp.disposition !== '' || wrapUp.summary !== ''),
    unread: ofSessions(state.unread, (count) => count > 0),
  };
}

export function serializeWork(work: WorkInProgress): string {
  return JSON.stringify({
    format: FORMAT,
    order: work.order,
    selectedId: work.selectedId,
    drafts: Object.fromEntries(work.drafts),
    wrapUps: Object.fromEntries(work.wrapUps),
    unread: Object.fromEntries(work.unread),
  });
}

/**
 * The work stored by `serializeWork`; null when there is none or it cannot be read. Whatever
 * does not have its shape (an older format, a hand-edited or truncated value) is left out, never
 * thrown: at worst the agent finds a field empty, as before this was kept.
 */
export function parseWork(raw: string | null): WorkInProgress | null {
  let parsed: unknown;
  try {
    parsed = raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
  if (!isRecord(parsed) || parsed.format !== FORMAT) return null;
  return {
    order: Array.isArray(parsed.order) ? parsed.order.filter((id): id is string => typeof id === 'string') : [],
    selectedId: typeof parsed.selectedId === 'string' ? parsed.selectedId : null,
    drafts: entriesOf(parsed.drafts, (value): value is string => typeof value === 'string'),
    wrapUps: entriesOf(parsed.wrapUps, isWrapUp),
    unread: entriesOf(parsed.unread, (value): value is number => Number.isInteger(value) && (value as number) > 0),
  };
}

function entriesOf<V>(value: unknown, isValue: (value: unknown) => value is V): Map<string, V> {
  if (!isRecord(value)) return new Map();
  return new Map(Object.entries(value).filter((entry): entry is [string, V] => isValue(entry[1])));
}

function isWrapUp(value: unknown): value is WrapUpDraft {
  return isRecord(value) && typeof value.disposition === 'string' && typeof value.summary === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One agent's work in progress in storage. `changed` is called on every change of the panel's
 * state, keystrokes included, so it only compares the kept parts by identity (the reducer makes
 * a new map or list only when one changes) and writes once, a moment after a burst of changes;
 * `flush` writes at once (the page goes away, the relay is disconnected, the panel is removed).
 */
export class KeptWork {
  /** The state whose work was last written, or is waiting to be. */
  private seen: PanelState | null = null;
  private unwritten: PanelState | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly storage: WorkStorage | null,
    readonly agentId: string,
    private readonly delayMs = WORK_WRITE_DELAY_MS,
  ) {}

  /** What the agent left in this tab; null when nothing (readable) was kept. */
  read(): WorkInProgress | null {
    try {
      return parseWork(this.storage?.getItem(workInProgressKey(this.agentId)) ?? null);
    } catch {
      // Storage blocked (a third-party iframe): the panel starts empty, as it did before.
      return null;
    }
  }

  changed(state: PanelState): void {
    if (this.seen && !workChanged(this.seen, state)) return;
    this.seen = state;
    this.unwritten = state;
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    const state = this.unwritten;
    this.cancel();
    if (state) this.write(workInProgressOf(state));
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.unwritten = null;
  }

  private write(work: WorkInProgress): void {
    const key = workInProgressKey(this.agentId);
    try {
      if (work.order.length === 0) this.storage?.removeItem(key);
      else this.storage?.setItem(key, serializeWork(work));
    } catch {
      // Storage full or blocked: the work is still in the panel, only a reload loses it.
    }
  }
}

function workChanged(before: PanelState, after: PanelState): boolean {
  return (
    before.drafts !== after.drafts ||
    before.wrapUps !== after.wrapUps ||
    before.unread !== after.unread ||
    before.sessions !== after.sessions ||
    before.selectedId !== after.selectedId
  );
}
