import { ACTIVITY_ENTITY_SET, activityIdOf, activityWrites } from "./activity.js";
const TICK_MS = 1000;
const BATCH = 10;
export class CrmWriter {
    store;
    dataverse;
    clock;
    log;
    timer = null;
    running = null;
    constructor(store, dataverse, clock, log) {
        this.store = store;
        this.dataverse = dataverse;
        this.clock = clock;
        this.log = log;
    }
    start() {
        this.timer ??= setInterval(() => void this.pump(), TICK_MS);
        this.timer.unref();
    }
    async stop() {
        if (this.timer)
            clearInterval(this.timer);
        this.timer = null;
        await this.running;
    }
    /** One pass: follow the log, then write what is due. Passes never overlap. */
    pump() {
        this.running ??= this.pass()
            .catch((err) => this.log.error({ err }, 'crm: pass failed; the next one retries'))
            .finally(() => (this.running = null));
        return this.running;
    }
    async pass() {
        while ((await this.store.followEventsForCrm(this.clock.now())) > 0)
            ;
        for (;;) {
            const due = await this.store.claimCrmWrites(this.clock.now(), BATCH);
            if (due.length === 0)
                return;
            await Promise.all(due.map((write) => this.write(write)));
        }
    }
    async write(write) {
        const input = await this.store.crmActivityInput(write.conversationId);
        let outcome = input ? { kind: 'done' } : { kind: 'failed', error: 'The conversation is no longer in the relay.' };
        for (const body of input ? activityWrites(input) : []) {
            outcome = await this.dataverse.upsert(ACTIVITY_ENTITY_SET, activityIdOf(write.conversationId), body);
            if (outcome.kind !== 'done')
                break;
        }
        if (outcome.kind !== 'done')
            this.log.warn({ conversationId: write.conversationId, attempts: write.attempts, outcome: outcome.kind, error: outcome.error }, 'crm: activity not written');
        await this.store.recordCrmWrite(write, outcome, this.clock.now());
    }
}
//# sourceMappingURL=crm-writer.js.map