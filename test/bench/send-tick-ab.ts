/**
 * Send -> `sent` on the agent's stream, two builds of the relay side by side: the relay-side
 * half of felt's "Send -> sent tick", without the browser, as an A/B that the shared machine's
 * minute-to-minute speed cannot skew. Both relays run at once (Twilio mode, SQLite, the fake
 * Twilio in this process answering every create with a signed `sent` status callback, as felt
 * does), and the sends alternate between them: A, B, A, B ...
 *
 *   tsx test/bench/send-tick-ab.ts <old dist/main.js> <new dist/main.js> [sends per relay]
 *
 * Per relay: POST .../messages start -> its answer, -> the fake's create stored ("accepted"),
 * -> the `status: sent` event read on the agent's stream; and the relay's CPU time (user +
 * system, /proc) over its sends, per send. Not part of `npm run bench`. AB_PROFILE=<dir> profiles both.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../server/src/store/sqlite-store.ts';
import { signTwilioRequest } from '../../server/src/twilio/signature.ts';
import { startFakeTwilioServer } from '../../server/test/fakes/twilio-api-server.ts';
import { readEventStream, wallNow } from './lib/event-stream.ts';
import { BUSINESS_A, startRelay, type Relay } from './lib/relay.ts';
import { percentile, round, sleep } from './lib/stats.ts';
import { inboundRecord } from './lib/inbound-record.mjs';
import { customerPhone, messageSid, post } from './lib/webhooks.ts';

const [oldMain, newMain, perRelayArg] = process.argv.slice(2);
if (!oldMain || !newMain) throw new Error('usage: send-tick-ab.ts <old main.js> <new main.js> [sends]');
const SENDS = Number(perRelayArg ?? 100);
const now = wallNow;
const AGENT = { id: 'agent-1', name: 'Alex Morgan', role: 'agent' as const };
const keepAlive = new Agent({ keepAlive: true, maxSockets: 8 });

async function seed(file: string): Promise<string> {
  const store = new SqliteStore(file);
  await store.migrate();
  const t = Date.now();
  await store.upsertAgent(AGENT, 5, t);
  const { conversation } = await store.recordInbound(inboundRecord({ messageSid: messageSid(), from: customerPhone(900_001), to: BUSINESS_A, body: 'Where is my parcel?', profileName: 'Dana', sentiment: { score: 0, comparative: 0, tokens: 4 }, receivedAt: t - 60_000 }));
  await store.createOffer(conversation.id, AGENT.id, t + 3_600_000, t);
  await store.acceptOffer(conversation.id, AGENT.id, t);
  await store.close();
  return conversation.id;
}

/** The agent's stream: when each message's `sent` status arrived. */
function stream(base: string, token: string) {
  const sentAt = new Map<string, number>();
  const { ready } = readEventStream(base, token, (event, raw, at) => {
    const data = raw as { messageId: string; status: string };
    if (event === 'status' && data.status === 'sent') sentAt.set(data.messageId, at);
  });
  return { ready, sentAt };
}

function send(relay: Relay, token: string, conversationId: string, body: string): Promise<{ id: string; answeredAt: number }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify({ body, clientId: `ab-${Math.random().toString(36).slice(2)}` });
    const req = httpRequest(`${relay.base}/api/v1/conversations/${conversationId}/messages`, { method: 'POST', agent: keepAlive, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => (res.statusCode === 202 ? resolve({ id: (JSON.parse(text) as { id: string }).id, answeredAt: now() }) : reject(new Error(`send ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** User + system CPU time of a process, in ms (Linux clock ticks are 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const dir = mkdtempSync(join(tmpdir(), 'wcp-send-ab-'));
const twilio = await startFakeTwilioServer();
const fake = { url: twilio.url, accountSid: twilio.twilio.accountSid, authToken: twilio.twilio.authToken };
const acceptedAt = new Map<string, number>();
const sent = (twilio.twilio as unknown as { sent: { sid: string; body: string; statusCallback: string | null }[] }).sent;
const push = sent.push.bind(sent);
sent.push = (...items) => {
  const n = push(...items);
  for (const m of items) {
    acceptedAt.set(m.body, now());
    if (!m.statusCallback) continue;
    const params = { MessageSid: m.sid, SmsSid: m.sid, AccountSid: fake.accountSid, MessageStatus: 'sent', SmsStatus: 'sent', ApiVersion: '2010-04-01' };
    const url = new URL(m.statusCallback);
    setImmediate(() => void post(url.origin, { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(fake.authToken, m.statusCallback!, params) } }, url.pathname + url.search));
  }
  return n;
};

const sides = [] as { label: string; relay: Relay; token: string; conversationId: string; sentAt: Map<string, number>; answered: number[]; accepted: number[]; onStream: number[]; cpu: number }[];
try {
  for (const [label, main] of [['old', oldMain], ['new', newMain]] as const) {
    const file = join(dir, `${label}.db`);
    const conversationId = await seed(file);
    // AB_PROFILE=<dir>: both relays under --cpu-prof (a summary: node test/bench/profile-summary.mjs <file>).
    const profile = process.env.AB_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.AB_PROFILE}/${label}`] : [];
    const relay = await startRelay(fake, `sqlite:${file}`, { main, label: `relay ${label}`, nodeArgs: profile });
    const { token } = (await (await fetch(`${relay.base}/demo/config?agent=agent-1`)).json()) as { token: string };
    const s = stream(relay.base, token);
    await s.ready;
    sides.push({ label, relay, token, conversationId, sentAt: s.sentAt, answered: [], accepted: [], onStream: [], cpu: 0 });
  }
  const total = SENDS + 5;
  for (let i = 0; i < total; i++) {
    // Alternate which goes first in each pair, so neither always follows the other.
    for (const side of i % 2 ? [...sides].reverse() : sides) {
      const body = `A/B reply ${side.label} ${i} ${Math.random().toString(36).slice(2, 8)}`;
      const cpu0 = cpuMs(side.relay.proc.pid);
      const t0 = now();
      const { id, answeredAt } = await send(side.relay, side.token, side.conversationId, body);
      for (const deadline = now() + 5000; !side.sentAt.has(id) && now() < deadline; ) await sleep(1);
      await sleep(30); // the send's own result write, then quiet
      if (i < 5) continue; // warm-up: the twilio client loads its modules on the first send
      side.cpu += cpuMs(side.relay.proc.pid) - cpu0;
      side.answered.push(answeredAt - t0);
      if (acceptedAt.has(body)) side.accepted.push(acceptedAt.get(body)! - t0);
      if (side.sentAt.has(id)) side.onStream.push(side.sentAt.get(id)! - t0);
    }
  }
  const p = (v: number[]) => `${round(percentile(v, 50), 1)} / ${round(percentile(v, 90), 1)}`;
  console.log(`sends per relay: ${SENDS}, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  console.log('relay | answered p50 / p90 | fake accepted p50 / p90 | `sent` on the stream p50 / p90 (n) | relay CPU per send');
  for (const s of sides) console.log(`${s.label} | ${p(s.answered)} | ${p(s.accepted)} | ${p(s.onStream)} (${s.onStream.length}) | ${round(s.cpu / SENDS, 2)} ms`);
} finally {
  for (const s of sides) await s.relay.proc.stop();
  await twilio.close();
  rmSync(dir, { recursive: true, force: true });
}
