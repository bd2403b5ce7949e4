import { chooseAgent } from "./policy.js";
/** A decline keeps an agent out of that conversation's rotation this long. */
export const DECLINE_MEMORY_MS = 10 * 60 * 1000;
const TICK_MS = 1000;
const NO_DECLINES = new Set();
export class Router {
    store;
    bus;
    clock;
    config;
    log;
    timer = null;
    running = null;
    again = false;
    constructor(store, bus, clock, config, log) {
        this.store = store;
        this.bus = bus;
        this.clock = clock;
        this.config = config;
        this.log = log;
    }
    start() {
        this.timer ??= setInterval(() => this.kick(), TICK_MS);
        this.timer.unref();
        this.kick();
    }
    stop() {
        if (this.timer)
            clearInterval(this.timer);
        this.timer = null;
    }
    /** Runs a routing pass soon; passes never overlap. Resolves when the pass is done. */
    kick() {
        if (this.running) {
            this.again = true;
            return this.running;
        }
        this.running = (async () => {
            do {
                this.again = false;
                await this.route().catch((err) => this.log.error({ err }, 'routing pass failed'));
            } while (this.again);
            this.running = null;
        })();
        return this.running;
    }
    /** One pass: expire stale offers, then offer every unoffered open conversation. */
    async route() {
        const now = this.clock.now();
        const expired = await this.store.expireOffers(now);
        const { agents } = await this.store.routingSnapshot(now);
        let offered = 0;
        // Nobody can take work (no agent Available or Busy with spare capacity): skip the queue
        // rather than read it. Under a burst of new customers with everyone full, reading the
        // waiting list on every pass was the router's whole cost (test/bench/README.md).
        if (chooseAgent(agents, NO_DECLINES)) {
            for (const conversation of await this.store.listUnoffered(now, 100)) {
                const declined = await this.store.declinedBy(conversation.id, now - DECLINE_MEMORY_MS);
                const agentId = chooseAgent(agents, declined, conversation.queueId);
                if (!agentId) {
                    if (!chooseAgent(agents, NO_DECLINES))
                        break; // everyone is full now
                    continue;
                }
                if (await this.store.createOffer(conversation.id, agentId, now + this.config.offerTimeoutMs, now)) {
                    offered++;
                    const agent = agents.find((a) => a.id === agentId);
                    agent.load++;
                    agent.lastOfferedAt = now;
                }
            }
        }
        if (offered || expired.length)
            this.bus.publish('events');
    }
}
//# sourceMappingURL=router.js.map