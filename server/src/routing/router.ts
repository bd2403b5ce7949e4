/**
 * Offers open conversations to agents. Runs on a short interval and whenever something
 * changes (a new conversation, a presence change, a rejected offer). Every decision is
 * a conditional write in the store, so several instances routing at once offer a
 * conversation to one agent only.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Bus } from '../bus/port.ts';
import type { Config } from '../config.ts';
import type { Clock } from '../domain/clock.ts';
import type { Store, UnofferedCursor } from '../store/port.ts';
import { canTakeWork, chooseAgent, type RoutingCandidate } from './policy.ts';

/** A decline keeps an agent out of that conversation's rotation this long. */
export const DECLINE_MEMORY_MS = 10 * 60 * 1000;
const TICK_MS = 1000;
/** Waiting conversations read at a time. */
const PAGE_SIZE = 100;
const NO_DECLINES: ReadonlySet<string> = new Set();

export class Router {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly config: Pick<Config, 'offerTimeoutMs'>,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.kick(), TICK_MS);
    this.timer.unref();
    this.kick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs a routing pass soon; passes never overlap. Resolves when the pass is done. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.route().catch((err: unknown) => this.log.error({ err }, 'routing pass failed'));
      } while (this.again);
      this.running = null;
    })();
    return this.running;
  }

  /** One pass: expire stale offers, then offer every unoffered open conversation. */
  async route(): Promise<void> {
    const now = this.clock.now();
    const expired = await this.store.expireOffers(now);
    const { agents } = await this.store.routingSnapshot(now);
    let offered = 0;
    // Nobody can take work (no agent Available or Busy with spare capacity): skip the queue
    // rather than read it. Under a burst of new customers with everyone full, reading the
    // waiting list on every pass was the router's whole cost (test/bench/README.md).
    if (chooseAgent(agents, NO_DECLINES)) {
      // Only queues someone can serve now: the oldest waiting of a queue whose members are all
      // away or full must not keep another queue's customers from a free agent.
      const queues = servedQueues(agents);
      // Page by page, oldest first: a page of customers every free agent declined (a spam wave
      // let pass) must not hide the newer ones behind it.
      let after: UnofferedCursor | null = null;
      for (;;) {
        const page = await this.store.listUnoffered(now, PAGE_SIZE, queues, after);
        const declines = await this.store.declinesOf(page.map((c) => c.id), now - DECLINE_MEMORY_MS);
        for (const conversation of page) {
          const agentId = chooseAgent(agents, declines.get(conversation.id) ?? NO_DECLINES, conversation.queueId, conversation.transfer?.fromAgentId ?? null);
          if (!agentId) continue;
          if (await this.store.createOffer(conversation.id, agentId, now + this.config.offerTimeoutMs, now, /* routed */ true)) {
            offered++;
            const agent = agents.find((a) => a.id === agentId)!;
            agent.load++;
            agent.lastOfferedAt = now;
          }
          if (!chooseAgent(agents, NO_DECLINES)) break; // everyone is full now
        }
        if (page.length < PAGE_SIZE || !chooseAgent(agents, NO_DECLINES)) break;
        after = page.at(-1)!;
      }
    }
    if (offered || expired.length) this.bus.publish('events');
  }
}

/** The queues of the agents who can take work now; null when one of them works every queue. */
function servedQueues(agents: readonly RoutingCandidate[]): string[] | null {
  const free = agents.filter(canTakeWork);
  if (free.some((a) => a.queueIds === undefined)) return null;
  return [...new Set(free.flatMap((a) => a.queueIds ?? []))];
}
