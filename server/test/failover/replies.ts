/** Agents replying steadily in the failover tests, each reply resent elsewhere when an instance fails it. */

import { api, apiAnywhere, type FailoverAgent } from './agents.ts';
import { paced } from './timing.ts';

/**
 * Agents who accept every offer they are shown and reply steadily in the conversations they
 * hold, each reply with its clientId (resent elsewhere when an instance fails it).
 */
export class ReplyLoad {
  /** Every reply an agent wrote. */
  readonly replies: string[] = [];
  /** Those the relay accepted (202). */
  readonly accepted: string[] = [];
  /** Those no instance accepted in time (the panel would keep trying): the last answer. */
  readonly givenUp: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly held = new Map<string, string[]>();
  private readonly handledOffers = new Set<string>();
  private readonly scanned = new Map<string, number>();
  private n = 0;

  constructor(
    private readonly agents: FailoverAgent[],
    private readonly targets: () => string[],
  ) {}

  start(rate: number): void {
    this.timer = paced(rate, 50, () => {
      this.reply();
      return true;
    }, () => this.acceptOffers());
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  conversationsHeld(): number {
    return [...this.held.values()].reduce((sum, list) => sum + list.length, 0);
  }

  private track(job: Promise<unknown>): void {
    const tracked = job.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private acceptOffers(): void {
    for (const agent of this.agents) {
      // Only the events that arrived since the last look: the stream grows by thousands.
      const from = this.scanned.get(agent.id) ?? 0;
      this.scanned.set(agent.id, agent.events.length);
      for (const e of agent.events.slice(from)) {
        if (e.type !== 'offer') continue;
        const conversationId = String(e.data.conversationId);
        const key = `${agent.id}:${conversationId}`;
        if (this.handledOffers.has(key)) continue;
        this.handledOffers.add(key);
        this.track(
          api(this.targets()[0]!, agent.token, 'POST', `/conversations/${conversationId}/accept`).then((res) => {
            if (res.status === 200) this.held.set(agent.id, [...(this.held.get(agent.id) ?? []), conversationId]);
          }),
        );
      }
    }
  }

  private reply(): void {
    const holders = this.agents.filter((a) => (this.held.get(a.id)?.length ?? 0) > 0);
    if (holders.length === 0) return;
    const n = this.n++;
    const agent = holders[n % holders.length]!;
    const list = this.held.get(agent.id)!;
    const conversationId = list[n % list.length]!;
    const body = `reply ${n} from ${agent.id}`;
    this.replies.push(body);
    // Spread over the instances: start at a different one each time.
    const rotated = () => {
      const t = this.targets();
      return t.map((_, i) => t[(n + i) % t.length]!);
    };
    this.track(
      apiAnywhere(rotated, agent.token, 'POST', `/conversations/${conversationId}/messages`, { body, clientId: `c-${n}` }, 202).then(
        () => this.accepted.push(body),
        (error: Error) => this.givenUp.push(error.message.slice(0, 200)),
      ),
    );
  }
}
