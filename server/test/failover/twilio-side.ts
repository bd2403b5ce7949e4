/** Twilio's side for the failover tests: inbound webhooks (redelivered to another instance as Twilio does) and its Messages API per instance, recording which instance sent what and holding answers on demand. */
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { signTwilioRequest } from '../../src/twilio/signature.ts';
import { paced, sleep } from './timing.ts';

// ------------------------------------------------------------------ Twilio's webhooks

const MAX_WEBHOOKS_IN_FLIGHT = 48;

export interface WebhookLoadOptions {
  publicUrl: string;
  authToken: string;
  accountSid: string;
  business: string;
  customers: string[];
  /** The instances to deliver to (read at every attempt: the set changes as relays die and come back). */
  targets: () => string[];
  /** Give up on one webhook after this long (counted as lost). */
  deadlineMs?: number;
}

interface Delivery {
  sid: string;
  body: string;
  customer: string;
  /** Answers 200 this webhook got (the relay acknowledged it). */
  acked: number;
  attempts: number;
  startedAt: number;
  /** When it was answered 200 (null if never). */
  ackedAt: number | null;
}

/**
 * Twilio's side of inbound traffic: `rate` webhooks a second, round-robin over the
 * instances. A webhook not answered 200 (connection refused or reset, 5xx) is delivered
 * again at once to the next instance, as Twilio retries on a failed connection; only when
 * every instance has failed it in one round does it wait a little (that round is counted).
 */
export class WebhookLoad {
  readonly deliveries: Delivery[] = [];
  /** Attempts that failed, by what happened: HTTP status, or 0 for a failed connection. */
  readonly failures = new Map<number, number>();
  /** Webhooks that got a failed connection or a 5xx somewhere and were delivered again. */
  redelivered = 0;
  /** Rounds in which every instance failed the same webhook. */
  refusedByAll = 0;
  lost: Delivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private n = 0;
  private readonly prefix = randomBytes(3).toString('hex');

  constructor(private readonly o: WebhookLoadOptions) {}

  start(rate: number): void {
    this.timer = paced(rate, 20, () => {
      // Bounded: if the relays (or this process, which also plays Twilio's API) fall behind,
      // the rate drops instead of piling up requests: a starved fake Twilio answering after
      // the relay's 15 s timeout is not a fault of the relay.
      if (this.inFlight.size >= MAX_WEBHOOKS_IN_FLIGHT) return false;
      void this.send();
      return true;
    });
  }

  /** Stops sending new webhooks and waits for every one under way to be stored or given up. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  send(): Promise<void> {
    const n = this.n++;
    const customer = this.o.customers[n % this.o.customers.length]!;
    const delivery: Delivery = { sid: 'SM' + randomBytes(16).toString('hex'), body: `load ${this.prefix} ${n}`, customer, acked: 0, attempts: 0, startedAt: Date.now(), ackedAt: null };
    this.deliveries.push(delivery);
    const job = this.deliver(delivery, n).finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
    return job;
  }

  private async deliver(d: Delivery, n: number): Promise<void> {
    const params = {
      MessageSid: d.sid,
      AccountSid: this.o.accountSid,
      From: `whatsapp:${d.customer}`,
      To: `whatsapp:${this.o.business}`,
      Body: d.body,
      NumMedia: '0',
      ProfileName: 'Load Customer',
      WaId: d.customer.slice(1),
    };
    const signature = signTwilioRequest(this.o.authToken, `${this.o.publicUrl}/twilio/inbound`, params);
    const body = new URLSearchParams(params).toString();
    const deadline = Date.now() + (this.o.deadlineMs ?? 30_000);
    let failedOnce = false;
    for (let round = 0; Date.now() < deadline; round++) {
      const targets = this.o.targets();
      for (let i = 0; i < targets.length; i++) {
        const url = targets[(n + round + i) % targets.length]!;
        d.attempts += 1;
        let status = 0;
        try {
          const res = await fetch(`${url}/twilio/inbound`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
            body,
            signal: AbortSignal.timeout(15_000),
          });
          await res.text();
          status = res.status;
        } catch {
          status = 0;
        }
        if (status === 200) {
          d.acked += 1;
          d.ackedAt = Date.now();
          if (failedOnce) this.redelivered += 1;
          return;
        }
        failedOnce = true;
        this.failures.set(status, (this.failures.get(status) ?? 0) + 1);
      }
      this.refusedByAll += 1;
      await sleep(200);
    }
    this.lost.push(d);
  }
}

// ------------------------------------------------------------------ Twilio's Messages API, per instance

export interface ProxiedCreate {
  instance: string;
  body: string;
  at: number;
  /** When Twilio's answer went back to the instance (null while held, or if it never did). */
  answeredAt: number | null;
}

/**
 * A pass-through in front of the fake Twilio API for one instance (its TWILIO_API_BASE_URL),
 * recording each message create it forwards. `hold()` keeps Twilio's answers from reaching
 * the instance (Twilio has the message; the instance never hears so): a kill then leaves
 * sends that really reached Twilio but were never recorded.
 */
export class TwilioProxy {
  readonly creates: ProxiedCreate[] = [];
  url = '';
  private held = false;
  private readonly server: Server;

  constructor(
    readonly instance: string,
    private readonly upstream: string,
  ) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const create = req.method === 'POST' && /\/Messages\.json$/.test(req.url ?? '');
        const record: ProxiedCreate | null = create
          ? { instance, body: new URLSearchParams(raw.toString()).get('Body') ?? '', at: Date.now(), answeredAt: null }
          : null;
        if (record) this.creates.push(record);
        const holdThis = record !== null && this.held;
        const up = httpRequest(this.upstream + (req.url ?? '/'), { method: req.method, headers: { ...req.headers, host: new URL(this.upstream).host } }, (upRes) => {
          const answer: Buffer[] = [];
          upRes.on('data', (c: Buffer) => answer.push(c));
          upRes.on('end', () => {
            if (holdThis) return; // Twilio took it; the instance waits for an answer that never comes.
            if (record) record.answeredAt = Date.now();
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            res.end(Buffer.concat(answer));
          });
        });
        up.on('error', () => res.destroy());
        up.end(raw);
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  hold(): void {
    this.held = true;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
