/**
 * Keeps each conversation's activity in Dataverse up to date (usecases/crm-sync.ts): follows
 * the event log, then upserts the activities due, a few at a time. Runs on every instance;
 * the store's locks and leases let one write each. Started only when Dataverse is configured.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../domain/clock.ts';
import type { CrmWrite, Store } from '../store/port.ts';
import { ACTIVITY_ENTITY_SET, activityIdOf, activityWrites, REOPENED, withoutRegarding } from './activity.ts';
import { READ_ONLY, RECORD_DOES_NOT_EXIST, type DataverseClient, type WriteOutcome } from './dataverse.ts';

const TICK_MS = 1000;
const BATCH = 10;

export class CrmWriter {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /**
   * Dataverse asked to wait (429 or 503 with Retry-After: its service protection limits): no
   * batch is claimed before then. Microsoft's guidance is to wait out Retry-After; a client that
   * sends the rest of its backlog into the throttle stays throttled for longer.
   */
  private quietUntil = 0;

  constructor(
    private readonly store: Store,
    private readonly dataverse: Pick<DataverseClient, 'upsert'>,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.pump(), TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: follow the log, then write what is due. Passes never overlap. */
  pump(): Promise<void> {
    this.running ??= this.pass()
      .catch((err: unknown) => this.log.error({ err }, 'crm: pass failed; the next one retries'))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<void> {
    while ((await this.store.followEventsForCrm(this.clock.now())) > 0);
    for (;;) {
      if (this.clock.now() < this.quietUntil) return;
      const due = await this.store.claimCrmWrites(this.clock.now(), BATCH);
      if (due.length === 0) return;
      await Promise.all(due.map((write) => this.write(write)));
    }
  }

  private async write(write: CrmWrite): Promise<void> {
    const input = await this.store.crmActivityInput(write.conversationId);
    let outcome: WriteOutcome = input ? { kind: 'done' } : { kind: 'failed', error: 'The conversation is no longer in the relay.' };
    for (const body of input ? activityWrites(input) : []) {
      outcome = await this.patch(write.conversationId, body);
      if (outcome.kind !== 'done') break;
    }
    if (outcome.kind === 'retry' && outcome.retryAfterMs !== null) this.quietUntil = Math.max(this.quietUntil, this.clock.now() + outcome.retryAfterMs);
    if (outcome.kind !== 'done') this.log.warn({ conversationId: write.conversationId, attempts: write.attempts, outcome: outcome.kind, error: outcome.error }, 'crm: activity not written');
    await this.store.recordCrmWrite(write, outcome, this.clock.now());
  }

  /**
   * One of the activity's PATCHes, brought round the refusals a retry would meet again, in
   * whichever order Dataverse reports them.
   */
  private async patch(conversationId: string, body: Record<string, unknown>): Promise<WriteOutcome> {
    const id = activityIdOf(conversationId);
    let sent = body;
    let reopened = false;
    for (;;) {
      const outcome = await this.dataverse.upsert(ACTIVITY_ENTITY_SET, id, sent);
      if (outcome.kind !== 'failed') return outcome;
      if (outcome.code === READ_ONLY && !reopened) {
        // Completed already, and changed since (a reply found undelivered after the close, a link
        // changed): a completed activity is read-only. As Microsoft documents, it is set back to
        // open and updated; activityWrites' next PATCH completes it again.
        reopened = true;
        const reopen = await this.dataverse.upsert(ACTIVITY_ENTITY_SET, id, { ...REOPENED });
        if (reopen.kind !== 'done') return reopen;
        continue;
      }
      const unlinked = outcome.code === RECORD_DOES_NOT_EXIST ? withoutRegarding(sent) : null;
      if (!unlinked) return outcome;
      // The linked record was deleted in the CRM: the transcript is kept, on no record's timeline.
      this.log.warn({ conversationId, error: outcome.error }, 'crm: the linked record no longer exists; activity written regarding nothing');
      sent = unlinked;
    }
  }
}
