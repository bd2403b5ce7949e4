/**
 * Drains the durable outbox to the Transport. Each item is claimed under a lease and a
 * per-sender pacing slot (80/s), sent at its slot, and its outcome recorded. When an
 * earlier attempt's outcome is unknown (the process stopped mid-send, or Twilio timed
 * out) Twilio is asked first whether it already has the message, so nothing is doubled.
 * What Twilio did not take for a passing reason (5xx, 429, no answer) is tried again, with
 * capped backoff, for as long as the reply may still go (send-deadline.ts).
 */
import { twilioCodeLabel, type Metrics } from '../metrics/metrics.ts';
import type { FastifyBaseLogger } from 'fastify';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppDeps } from '../deps.ts';
import type { OutboxItem, SendResultRecord } from '../store/port.ts';
import type { OutboundSend, SendOutcome } from '../transport/port.ts';
import { publicMediaUrl } from '../routes/public-media.ts';
import { SEND_INTERVAL_MS } from './pacing.ts';
import { sendDeadline, type SendDeadline } from './send-deadline.ts';
import { inSpan } from '../telemetry/spans.ts';

/** Enough for several senders' second of slots in one claim. */
const CLAIM_BATCH = 400;
const IDLE_POLL_MS = 500;

/** Exponential backoff with full jitter: 1 s, 2 s, 4 s ... capped at 5 minutes. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(300_000, 1000 * 2 ** attempts);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class OutboxWorker {
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  /** Per sender: the previous hand-over to the transport, chained so hand-overs happen one at a time. */
  private readonly handOvers = new Map<string, Promise<number>>();

  constructor(
    private readonly deps: Pick<AppDeps, 'store' | 'bus' | 'transport' | 'clock' | 'config'>,
    private readonly log: FastifyBaseLogger,
    private readonly metrics?: Pick<Metrics, 'messagesSent' | 'twilioErrors'>,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.deps.bus.subscribe('outbox', () => void this.pump());
    void this.pump();
  }

  /** Whether this worker takes claimed sends now: a reply queued here may be claimed for it (queueOutbound's claimForSending). */
  get running(): boolean {
    return !this.stopped;
  }

  /**
   * Sends what a reply's own transaction claimed for this process (usecases/queue-outbound.ts),
   * exactly as if this worker had claimed it: at its slot, with the hand-over spacing. Stopped,
   * it leaves them: their lease runs out and a worker takes them again, asking Twilio first.
   */
  sendClaimed(items: readonly OutboxItem[]): void {
    if (this.stopped) return;
    this.schedule(items, this.deps.clock.now());
  }

  /** Stops claiming and waits for sends already under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    await this.pumping;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Claims what is due and schedules it; then sleeps until the next due item. */
  pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.pumpAgain = false;
        try {
          await this.claimAndSchedule();
        } catch (err) {
          this.log.error({ err }, 'outbox pump failed');
        }
      } while (this.pumpAgain && !this.stopped);
      this.pumping = null;
      await this.scheduleNextPump();
    })();
    return this.pumping;
  }

  /**
   * Sends everything due now and waits for the outcomes (tests drive the worker with this),
   * a customer's later replies too, each once the one before it is settled.
   */
  async drain(): Promise<void> {
    while ((await this.claimAndSchedule()) > 0) {
      while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    }
  }

  /** How many it claimed. */
  private async claimAndSchedule(): Promise<number> {
    const now = this.deps.clock.now();
    const items = await this.deps.store.claimOutbox(now, CLAIM_BATCH);
    this.schedule(items, now);
    if (items.length === CLAIM_BATCH) this.pumpAgain = true;
    return items.length;
  }

  /**
   * Each claimed item goes out at its pacing slot. One due now goes in the loop's next check
   * phase (setImmediate), not after a 0 ms timer (a millisecond or more); each in a task of its
   * own, as timers were, so one item reaches its hand-over before the next one's turn starts.
   */
  private schedule(items: readonly OutboxItem[], now: number): void {
    for (const item of items) {
      const delay = item.sendAt - now;
      const due = new Promise<void>((resolve) => (delay > 0 ? setTimeout(resolve, delay) : setImmediate(resolve)));
      const job: Promise<void> = due
        .then(() => this.process(item))
        .catch((err: unknown) => this.log.error({ err, messageId: item.messageId }, 'outbox item failed'))
        .finally(() => this.inFlight.delete(job));
      this.inFlight.add(job);
    }
  }

  private async scheduleNextPump(): Promise<void> {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const due = await this.deps.store.nextOutboxDueAt().catch(() => null);
    const wait = due === null ? IDLE_POLL_MS : Math.min(IDLE_POLL_MS, Math.max(5, due - this.deps.clock.now()));
    this.timer = setTimeout(() => void this.pump(), wait);
    this.timer.unref();
  }

  /** One send, in the trace of the API request that queued it when this instance did (telemetry/spans.ts). */
  private process(item: OutboxItem): Promise<void> {
    return inSpan('outbox.send', { 'wcp.message_id': item.messageId, 'wcp.attempts': item.attempts }, () => this.sendOne(item), item.messageId);
  }

  private async sendOne(item: OutboxItem): Promise<void> {
    const send = await this.toOutboundSend(item);
    if (item.inDoubtSince !== null) {
      let found: Awaited<ReturnType<typeof this.deps.transport.findSent>>;
      try {
        found = await this.deps.transport.findSent(send, new Date(item.inDoubtSince), async (sid) => {
          const owner = await this.deps.store.findMessageBySid(sid);
          return owner !== null && owner.id !== item.messageId;
        });
      } catch (err) {
        // Twilio cannot say whether it has it: leave it in doubt; the lease brings it back.
        this.log.warn({ err, messageId: item.messageId }, 'could not check an in-doubt send; will ask again');
        return;
      }
      if (found) {
        await this.record(item, { kind: 'sent', ...found });
        return;
      }
      // An attempt with no answer, and Twilio does not have it: past the deadline it may be given up now (decide).
      const deadline = await this.deadlineOf(item);
      if (this.deps.clock.now() >= deadline.lastTryAt) {
        await this.record(item, { kind: 'failed', code: null, message: deadline.reason });
        return;
      }
    }
    await this.spacedHandOver(item.sender);
    const outcome = await inSpan(`${this.deps.transport.name}.send`, { 'wcp.message_id': item.messageId }, () => this.deps.transport.send(send));
    if (outcome.kind !== 'sent' && outcome.code !== null) this.metrics?.twilioErrors.inc({ code: twilioCodeLabel(outcome.code) });
    await this.record(item, await this.decide(item, outcome));
  }

  /**
   * The claim gives each item its own pacing slot, but slots are only timers: after an
   * event-loop stall the late timers fire together and a burst goes out (the bench saw 85 in
   * one second at 80/s). So hand-overs to the transport are also paced per sender, on the
   * monotonic clock (what Twilio counts is arrivals in real time): the n-th hand-over of a
   * run never happens before the first + n × SEND_INTERVAL_MS. The schedule advances by
   * exact steps, so a timer firing late does not slow the rate down.
   */
  private spacedHandOver(sender: string): Promise<number> {
    const previous = this.handOvers.get(sender);
    const turn = (async () => {
      const allowedAt = Math.max((previous ? await previous : -Infinity) + SEND_INTERVAL_MS, performance.now());
      // Timers run on whole milliseconds of a cached loop time and can fire a little early: check again.
      for (let wait = allowedAt - performance.now(); wait > 0; wait = allowedAt - performance.now()) await sleep(Math.ceil(wait));
      return allowedAt;
    })();
    // One entry per business sender (a handful); each holds only the newest link of its chain.
    this.handOvers.set(sender, turn);
    return turn;
  }

  private async decide(item: OutboxItem, outcome: SendOutcome): Promise<SendResultRecord> {
    if (outcome.kind === 'sent') return outcome;
    if (outcome.kind === 'failed') return { kind: 'failed', code: outcome.code, message: outcome.message };
    const now = this.deps.clock.now();
    const { lastTryAt, reason } = await this.deadlineOf(item);
    const next = now + (outcome.retryAfterMs ?? backoffMs(item.attempts));
    // An attempt with no answer (code null) may have reached Twilio: failed, the agent could send
    // it again and the customer get it twice. It stays in doubt, even past the deadline; Twilio is
    // asked first (sendOne), and that answer decides.
    const ambiguous = outcome.code === null;
    if (now >= lastTryAt && !ambiguous) {
      // Twilio's code would have the panel explain that error instead of why the relay stopped trying.
      return { kind: 'failed', code: null, message: reason };
    }
    // The last try comes at the deadline, not a backoff after it.
    const nextAttemptAt = now < lastTryAt ? Math.min(next, lastTryAt) : next;
    return { kind: 'retry', nextAttemptAt, code: outcome.code, message: outcome.message, ambiguous };
  }

  /** Read only when a send did not go: the customer may have written since, and given the reply a new window. */
  private async deadlineOf(item: OutboxItem): Promise<SendDeadline> {
    const conversation = item.template ? null : await this.deps.store.getConversation(item.conversationId);
    return sendDeadline({ template: item.template !== null, queuedAt: item.queuedAt }, conversation);
  }

  private async record(item: OutboxItem, result: SendResultRecord): Promise<void> {
    const told = await this.deps.store.recordSendResult(item.messageId, result, this.deps.clock.now());
    if (result.kind !== 'retry') this.metrics?.messagesSent.inc({ result: result.kind });
    if (result.kind !== 'sent') {
      this.log.info({ messageId: item.messageId, outcome: result.kind, code: result.code }, 'send not completed');
    }
    // Only when there is something to read: a needless read of the log can hold up the hub's
    // hand-over of the `sent` status that the status callback writes at about the same moment.
    if (told) this.deps.bus.publish('events');
    // Settled: the customer's next reply, held behind this one (sql-tx.ts customerNextSend), is due now,
    // not at the next idle poll (half a second later for an agent's second message in a row).
    if (result.kind !== 'retry' && !this.stopped) void this.pump();
  }

  private async toOutboundSend(item: OutboxItem): Promise<OutboundSend> {
    const { config, store } = this.deps;
    const send: OutboundSend = {
      messageId: item.messageId,
      from: item.sender,
      to: item.to,
      statusCallbackUrl: `${config.publicUrl}/twilio/status?messageId=${encodeURIComponent(item.messageId)}`,
    };
    if (item.template) send.template = item.template;
    else if (item.body) send.body = item.body;
    if (item.buttons?.length) send.buttons = item.buttons;
    if (item.mediaId) {
      const media = await store.getMedia(item.mediaId);
      if (media?.publicToken) send.mediaUrls = [publicMediaUrl(config.publicUrl, media.publicToken)];
    }
    return send;
  }
}
