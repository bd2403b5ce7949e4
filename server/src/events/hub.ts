/**
 * One reader of the event log per process. A wake-up (the Bus) makes the hub read what
 * was appended since its cursor once and hand each event to the open streams it belongs
 * to, instead of every stream querying the store on every wake-up (which cost N queries
 * per webhook with N agents connected: test/bench/README.md). Streams still replay their
 * own backlog by cursor when they connect, so the hub can never make one miss an event.
 *
 * The cursor may move past an id only once every smaller id is readable or never will be:
 * both stores draw event ids in commit order (SQLite has one writer; PostgreSQL draws them
 * under a lock held to the commit, PgTx.flushEvents), so the newest id read is such a point.
 */
import { inSpan } from '../telemetry/spans.ts';
import type { FastifyBaseLogger } from 'fastify';
import type { Bus } from '../bus/port.ts';
import type { StoredEvent, Store, Viewer } from '../store/port.ts';

const BATCH = 1000;
/** Covers a missed wake-up (e.g. a dropped NOTIFY connection). */
const SAFETY_POLL_MS = 5_000;

export interface EventSink {
  viewer: Viewer;
  deliver(events: StoredEvent[]): void;
}

export class EventHub {
  private readonly sinks = new Set<EventSink>();
  /**
   * Agents' streams by agent id, supervisors' apart: an event goes only to the streams of its
   * agent, without looking at every open stream (1,000+ agents on one instance).
   */
  private readonly byAgent = new Map<string, Set<EventSink>>();
  private readonly supervisors = new Set<EventSink>();
  private cursor: number | null = null;
  private reading: Promise<void> | null = null;
  /** A wake-up without an id came since the last read began: read (once more). */
  private again = false;
  /** The newest event id wake-ups named (another instance's commits): read until the cursor reaches it. */
  private wanted = 0;
  private scheduled = false;
  private unsubscribe: (() => void) | null = null;
  private safety: NodeJS.Timeout | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Starts following the log (on the first subscriber); returns an unsubscribe. */
  async subscribe(sink: EventSink): Promise<() => void> {
    // Once, however many streams subscribe at the same moment (agents reconnecting together
    // after an instance stopped): a second look at the latest id could move the cursor past
    // events not yet handed to the first stream (test/failover/hub-reconnect-burst.test.ts).
    if (!this.unsubscribe) await (this.starting ??= this.follow().finally(() => (this.starting = null)));
    this.sinks.add(sink);
    if (sink.viewer.supervisor) this.supervisors.add(sink);
    else {
      let own = this.byAgent.get(sink.viewer.agentId);
      if (!own) this.byAgent.set(sink.viewer.agentId, (own = new Set()));
      own.add(sink);
    }
    return () => {
      this.sinks.delete(sink);
      this.supervisors.delete(sink);
      const own = this.byAgent.get(sink.viewer.agentId);
      if (own?.delete(sink) && own.size === 0) this.byAgent.delete(sink.viewer.agentId);
    };
  }

  /** The agents (supervisors too) with an event stream open on this relay now. */
  connectedAgentIds(): string[] {
    return [...new Set([...this.byAgent.keys(), ...[...this.supervisors].map((s) => s.viewer.agentId)])];
  }

  private async follow(): Promise<void> {
    if (this.cursor === null) {
      const latest = await this.store.latestEventId();
      this.cursor ??= latest;
    }
    if (this.unsubscribe) return;
    this.unsubscribe = this.bus.subscribe('events', (upTo, events) => this.wake(upTo, events));
    this.safety = setInterval(() => this.wake(), SAFETY_POLL_MS);
    this.safety.unref();
  }

  /** Event streams open in this process. */
  get clientCount(): number {
    return this.sinks.size;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.safety) clearInterval(this.safety);
    this.sinks.clear();
    this.byAgent.clear();
    this.supervisors.clear();
  }

  /**
   * Events a write just appended, handed over by the writer (both stores know their ids when
   * they answer: InboundResult.events) or by another instance's wake-up. When they are the
   * very next ones after the hub's cursor and no read is under way, they go to the streams at
   * once and this returns true: the webhook → agent path
   * skips reading the log back. Otherwise (a gap, a read in flight, nobody listening yet) it
   * returns false, and the writer wakes the hub as usual so a read delivers them.
   */
  offer(events: readonly StoredEvent[]): boolean {
    const first = events[0];
    const next = this.cursor === null ? null : this.cursor + 1;
    if (!this.unsubscribe || this.reading || !first || first.id !== next || !events.every((e, i) => e.id === first.id + i)) return false;
    this.cursor = events[events.length - 1]!.id;
    this.dispatch([...events]);
    return true;
  }

  /**
   * Coalesces a burst of wake-ups into one read. A wake-up naming an id the cursor already
   * passed (the events came in an earlier read) costs nothing, nor does one carrying the very
   * next events (another instance's commit, in commit order: see wake-ups.ts).
   */
  private wake(upTo?: number, events?: readonly StoredEvent[]): void {
    if (upTo !== undefined) {
      if (this.cursor !== null && upTo <= this.cursor) return;
      if (events && this.offer(events)) return;
      this.wanted = Math.max(this.wanted, upTo);
    } else this.again = true;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      // A read that ended meanwhile may have brought what the wake-ups named.
      if (this.again || this.wanted > (this.cursor ?? 0)) void this.pump();
    });
  }

  private pump(): Promise<void> {
    if (this.reading) return this.reading;
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const asked = this.wanted;
            const events = await this.store.readEvents({ agentId: '', supervisor: true }, this.cursor ?? 0, BATCH);
            if (events.length === 0) {
              // An id named before this read began should have been in it (a wake-up follows
              // its commit): stop rather than spin on it; the safety poll looks again. One
              // named while the read was under way gets a read of its own.
              if (this.wanted === asked) this.wanted = 0;
              break;
            }
            this.cursor = events[events.length - 1]!.id;
            this.dispatch(events);
            if (events.length < BATCH) break;
          }
        } while (this.again || this.wanted > (this.cursor ?? 0));
      } catch (err) {
        this.log.error({ err }, 'event hub read failed; the next wake-up retries');
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  private dispatch(events: StoredEvent[]): void {
    inSpan('sse.write', { 'wcp.events': events.length, 'wcp.streams': this.sinks.size }, () => {
      for (const sink of this.supervisors) sink.deliver(events);
      // Each agent's events in log order, grouped so a stream gets one write per dispatch.
      const perAgent = new Map<string, StoredEvent[]>();
      for (const e of events) {
        if (e.agentId === null || !this.byAgent.has(e.agentId)) continue;
        const list = perAgent.get(e.agentId);
        if (list) list.push(e);
        else perAgent.set(e.agentId, [e]);
      }
      for (const [agentId, mine] of perAgent) for (const sink of this.byAgent.get(agentId)!) sink.deliver(mine);
    });
  }
}
