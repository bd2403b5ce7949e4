/**
 * Outbound pacing (its own process): seeds an SQLite store with two conversations on two
 * business senders, queues `countA` messages to sender A and then `countB` to sender B, and
 * runs the relay's OutboxWorker with the real Twilio transport against the fake Twilio API
 * (another process). Replies when the fake has taken every message (or the time is up);
 * the rates are computed by the caller from the fake's recorded create requests.
 *
 * IPC in:  run {fakeUrl, accountSid, authToken, dir, countA, countB, timeoutMs}
 * IPC out: done {queuedAt, finishedAt, sent, states}
 */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { InProcessBus } from '../../server/src/bus/in-process.ts';
import { loadConfig } from '../../server/src/config.ts';
import { systemClock } from '../../server/src/domain/clock.ts';
import { OutboxWorker } from '../../server/src/outbox/worker.ts';
import { SqliteStore } from '../../server/src/store/sqlite-store.ts';
import { createTwilioTransport } from '../../server/src/transport/twilio.ts';
import { BUSINESS_A, BUSINESS_B } from './lib/relay.ts';
import { sleep } from './lib/stats.ts';
import { inboundRecord } from './lib/inbound-record.mjs';
import { customerPhone, messageSid } from './lib/webhooks.ts';

interface RunMessage {
  type: 'run';
  fakeUrl: string;
  accountSid: string;
  authToken: string;
  dir: string;
  countA: number;
  countB: number;
  timeoutMs: number;
}

async function run(msg: RunMessage) {
  const store = new SqliteStore(join(msg.dir, 'pacing.db'));
  await store.migrate();
  const agent = { id: 'bench-pacer', name: 'Bench Pacer', role: 'agent' as const };
  await store.upsertAgent(agent, 5, Date.now());
  // A customer's conversation the pacer has accepted, as an agent would (replies need it).
  const open = async (customer: string, business: string) => {
    const { conversation } = await store.recordInbound(inboundRecord({ messageSid: messageSid(), from: customer, to: business, body: 'Hello' }));
    const now = Date.now();
    await store.createOffer(conversation.id, agent.id, now + 120_000, now);
    return store.acceptOffer(conversation.id, agent.id, now);
  };
  // One reply to each of many customers: a customer's replies go out one at a time, each after
  // Twilio answered the one before (server/src/store/sql/sql-tx.ts CUSTOMER_NEXT_SEND), so a
  // sender's pace shows across customers.
  const customers = async (first: number, n: number, business: string) => {
    const list = [];
    for (let i = 0; i < n; i++) list.push(await open(customerPhone(first + i), business));
    return list;
  };
  const convsA = await customers(900_001, msg.countA, BUSINESS_A);
  const convsB = await customers(950_001, msg.countB, BUSINESS_B);
  const queue = async (conversations: { id: string }[], sender: string) => {
    for (const [i, { id }] of conversations.entries()) {
      await store.queueOutbound({ conversationId: id, agentId: agent.id, body: `Update ${i} for you`, mediaId: null, template: null, replyToId: null, clientId: null, sender, now: Date.now() });
    }
  };
  // All of A's first, then B's: B must not wait behind A.
  await queue(convsA, BUSINESS_A);
  await queue(convsB, BUSINESS_B);

  const config = loadConfig({
    PUBLIC_URL: 'http://127.0.0.1:9',
    TWILIO_ACCOUNT_SID: msg.accountSid,
    TWILIO_AUTH_TOKEN: msg.authToken,
    TWILIO_WHATSAPP_FROM: `whatsapp:${BUSINESS_A}`,
    TWILIO_API_BASE_URL: msg.fakeUrl,
    AUTH_MODE: 'dev',
    AUTH_SECRET: 'x'.repeat(32),
  });
  const twilioTransport = createTwilioTransport({ accountSid: msg.accountSid, authToken: msg.authToken, apiBaseUrl: msg.fakeUrl });
  // One send before the clock starts: the twilio client loads its REST modules on first use,
  // a one-off stall of seconds that would otherwise bunch the first slots together.
  await twilioTransport.send({ messageId: 'warmup', from: '+14155238800', to: customerPhone(900_003), body: 'warm-up', statusCallbackUrl: 'http://127.0.0.1:9/twilio/status' });
  await fetch(`${msg.fakeUrl}/__fake/reset`, { method: 'POST' });
  // When the worker handed each send to the transport, by sender (the relay's side of the pacing).
  const handedOver: Record<string, number[]> = {};
  const transport: typeof twilioTransport = Object.create(twilioTransport, {
    send: {
      value: (send: Parameters<typeof twilioTransport.send>[0]) => {
        (handedOver[send.from] ??= []).push(Date.now());
        return twilioTransport.send(send);
      },
    },
  });
  const bus = new InProcessBus();
  const worker = new OutboxWorker({ store, bus, transport, clock: systemClock, config }, pino({ level: 'warn' }));
  const total = msg.countA + msg.countB;
  const queuedAt = Date.now();
  // How long the worker's event loop was blocked (synchronous SQLite commits run on it).
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  worker.start();
  const deadline = queuedAt + msg.timeoutMs;
  let sent = 0;
  while (Date.now() < deadline) {
    const items = ((await (await fetch(`${msg.fakeUrl}/__fake/sent`)).json()) as unknown[]).length;
    sent = items;
    if (sent >= total) break;
    await sleep(250);
  }
  const finishedAt = Date.now();
  loopDelay.disable();
  await worker.stop();
  const states = Object.fromEntries(
    (await Promise.all([...convsA, ...convsB].map(async ({ id }) => (await store.listMessages(id, null, 5000)).items)))
      .flat()
      .filter((m) => m.direction === 'outbound')
      .reduce((acc, m) => acc.set(m.status, (acc.get(m.status) ?? 0) + 1), new Map<string, number>()),
  );
  await store.close();
  return {
    type: 'done',
    queuedAt,
    finishedAt,
    sent,
    states,
    handedOver,
    eventLoopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
  };
}

process.on('message', (raw: unknown) => {
  const msg = raw as RunMessage;
  if (msg.type !== 'run') return;
  run(msg).then(
    (reply) => process.send!(reply),
    (error: unknown) => process.send!({ type: 'done', error: (error as Error).stack ?? String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ event: 'pacing-ready' })}\n`);
