/**
 * What the agent feels: the demo page (`/?agent=agent-1`) in headless Chromium against the
 * relay built as in production, each figure beside the relay-side figure of the same run.
 *
 * 1. Webhook posted -> the incoming notification painted, beside an SSE reader in node on the
 *    same agent's stream (webhook posted -> `offer` event read).
 * 2. Send pressed -> the message in the transcript -> its sent tick, beside the moment the fake
 *    Twilio accepted the create (the bench then answers as Twilio does, with a signed `sent`
 *    status callback, at once).
 * 3. Tab switch to a conversation with 5,000 messages -> its newest message painted.
 * 4. Typing 100 keys in the composer of a thread holding 5,000 messages: long tasks and
 *    key -> next frame.
 *
 * The relay runs in Twilio mode against a fake Twilio in this process (not the simulator:
 * the simulator signs webhooks with a secret of its own and holds every `sent` receipt back
 * 150 ms on purpose). Times on both sides are performance.timeOrigin + performance.now(),
 * the same system clock; the page's offset from node's is measured and reported.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import type Database from 'better-sqlite3';
import { chromium, type Page } from 'playwright-core';
import { SqliteStore } from '../../../server/src/store/sqlite-store.ts';
import { scoreMessage } from '../../../server/src/sentiment/score.ts';
import { signTwilioRequest } from '../../../server/src/twilio/signature.ts';
import { startFakeTwilioServer } from '../../../server/test/fakes/twilio-api-server.ts';
import { readEventStream, wallNow } from '../lib/event-stream.ts';
import { BENCH_DIR } from '../lib/procs.ts';
import { BUSINESS_A, startRelay } from '../lib/relay.ts';
import { percentile, round, sleep } from '../lib/stats.ts';
import { inboundRecord } from '../lib/inbound-record.mjs';
import { customerPhone, messageSid, post, signedInbound } from '../lib/webhooks.ts';

export interface FeltOptions {
  dir: string;
  /** Messages seeded into each of the two conversations. */
  messages: number;
  offers: number;
  sends: number;
  switches: number;
  keys: number;
}

const now = wallNow;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const AGENT = { id: 'agent-1', name: 'Alex Morgan', role: 'agent' as const };
const CUSTOMER_A = { phone: customerPhone(900_001), name: 'Dana Whitfield' };
const CUSTOMER_B = { phone: customerPhone(900_002), name: 'Priya Natarajan' };

type Painted = { appearedAt: number; paintedAt: number; frameAt: number; frames: number };
const stats = (values: number[]) => ({ n: values.length, p50: round(percentile(values, 50), 1), p99: round(percentile(values, 99), 1), max: round(Math.max(...values), 1) });
const load = () => loadavg().map((l) => round(l, 2));

/** Two conversations of `messages` inbound messages each, accepted by agent-1; bodies of varied length. */
async function seed(file: string, messages: number): Promise<{ newestA: string; newestB: string }> {
  const store = new SqliteStore(file);
  await store.migrate();
  (store as unknown as { database: { db: Database.Database } }).database.db.pragma('synchronous = OFF');
  const t = Date.now();
  await store.upsertAgent(AGENT, 5, t);
  const filler = 'Could you check where my parcel is? The tracking page has not changed since Monday and I need it before the weekend. ';
  const newest: string[] = [];
  for (const [k, customer] of [CUSTOMER_A, CUSTOMER_B].entries()) {
    for (let i = 0; i < messages; i++) {
      const last = i === messages - 1;
      const body = last ? `${customer.name} newest ${messages}` : `${i}: ${filler.repeat(1 + (i % 3)).slice(0, 20 + ((i * 37) % 200))}`;
      // Spread over the last days, the newest a minute ago: the reply window is open.
      const { conversation } = await store.recordInbound(inboundRecord({ messageSid: messageSid(), from: customer.phone, to: BUSINESS_A, body, profileName: customer.name, sentiment: scoreMessage(body), receivedAt: t - 60_000 - (messages - i) * 30_000 - k }));
      if (i === 0) {
        await store.createOffer(conversation.id, AGENT.id, t + 3_600_000, t);
        await store.acceptOffer(conversation.id, AGENT.id, t);
      }
      if (last) newest.push(body);
    }
  }
  await store.close();
  return { newestA: newest[0]!, newestB: newest[1]! };
}

/** agent-1's event stream read in node: the relay-side figure for the notification. */
function offerReader(base: string, token: string) {
  const waiters: ((offer: { at: number; conversationId: string }) => void)[] = [];
  /** When each message's `sent` status arrived on the stream, by message id. */
  const sentAt = new Map<string, number>();
  const { ready, close } = readEventStream(base, token, (event, raw, at) => {
    const data = raw as { conversationId: string; messageId?: string; status?: string };
    if (event === 'offer') waiters.shift()?.({ at, conversationId: data.conversationId });
    else if (event === 'status' && data.status === 'sent') sentAt.set(data.messageId!, at);
  });
  return {
    ready,
    sentAt,
    next: () => new Promise<{ at: number; conversationId: string }>((resolve) => waiters.push(resolve)),
    close,
  };
}

async function api(base: string, token: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await fetch(`${base}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  const text = await r.text();
  return text ? JSON.parse(text) : null;
}

/** The page's clock minus node's, from the round trip with the smallest RTT. */
async function clockOffset(page: Page) {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 15; i++) {
    const t0 = now();
    const inPage = await page.evaluate(() => performance.timeOrigin + performance.now());
    const t1 = now();
    if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: inPage - (t0 + t1) / 2 };
  }
  return { offsetMs: round(best.offset, 2), rttMs: round(best.rtt, 2) };
}

/** Loads every older page of the selected conversation into the thread (the panel's own "load older"). */
async function loadWholeThread(page: Page): Promise<number> {
  return page.evaluate(async () => {
    type Thread = HTMLElement & { messages: unknown[]; hasOlder: boolean; loadingOlder: boolean };
    const felt = (window as unknown as { __felt: { findAll(s: string): Element[] } }).__felt;
    const thread = felt.findAll('wcp-thread')[0] as Thread;
    for (let guard = 0; thread.hasOlder && guard < 500; guard++) {
      const before = thread.messages.length;
      thread.dispatchEvent(new Event('wcp-load-older', { bubbles: true, composed: true }));
      const deadline = Date.now() + 10_000;
      while ((thread.loadingOlder || thread.messages.length === before) && thread.hasOlder && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    }
    return thread.messages.length;
  });
}

export async function benchFelt(opts: FeltOptions) {
  const loadAtStart = load();
  const file = join(opts.dir, 'felt.db');
  const seedStarted = Date.now();
  const { newestA, newestB } = await seed(file, opts.messages);
  const seedMs = Date.now() - seedStarted;

  // The fake Twilio in this process, so the bench sees each create the moment it is stored and
  // answers as Twilio does: a signed `sent` status callback to the URL the relay gave.
  const twilio = await startFakeTwilioServer();
  const fake = { url: twilio.url, accountSid: twilio.twilio.accountSid, authToken: twilio.twilio.authToken };
  const relay = await startRelay(fake, `sqlite:${file}`, { label: 'relay (felt)' });
  const accepted: number[] = [];
  const callbacks: Promise<number>[] = [];
  const sent = (twilio.twilio as unknown as { sent: { sid: string; statusCallback: string | null }[] }).sent;
  const push = sent.push.bind(sent);
  sent.push = (...items) => {
    const n = push(...items);
    for (const m of items) {
      accepted.push(now());
      if (!m.statusCallback) continue;
      const params = { MessageSid: m.sid, SmsSid: m.sid, AccountSid: fake.accountSid, MessageStatus: 'sent', SmsStatus: 'sent', ApiVersion: '2010-04-01' };
      const url = new URL(m.statusCallback);
      // After the create's response has gone out: Twilio calls back once it has the message.
      setImmediate(() =>
        callbacks.push(
          post(relay.base, { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(fake.authToken, m.statusCallback!, params) } }, url.pathname + url.search),
        ),
      );
    }
    return n;
  };

  const { token } = (await (await fetch(`${relay.base}/demo/config?agent=agent-1`)).json()) as { token: string };
  const reader = offerReader(relay.base, token);
  await reader.ready;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    context.setDefaultTimeout(15_000);
    await context.addInitScript({ path: join(BENCH_DIR, 'felt/probe.js') });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const opened = now();
    await page.goto(`${relay.base}/?agent=agent-1`);
    const presence = page.getByRole('combobox', { name: /^Presence/ });
    await presence.waitFor({ state: 'visible' });
    await presence.selectOption('available');
    await page.locator('wcp-presence .dot.available').waitFor({ state: 'visible' });
    const tab = (name: string) => page.getByRole('tab', { name: new RegExp(name) });
    await tab(CUSTOMER_A.name).waitFor({ state: 'visible' });
    const openMs = now() - opened;
    const clock = await clockOffset(page);
    const arm = (selector: string, text: string | null = null, has: string | null = null) =>
      page.evaluate(([s, t, h]) => {
        const w = window as unknown as { __felt: { waitFor(s: string, t: string | null, h: string | null): Promise<unknown> }; __wait: Promise<unknown> };
        w.__wait = w.__felt.waitFor(s, t, h);
        w.__wait.catch(() => undefined);
      }, [selector, text, has] as const);
    const armed = () => page.evaluate(() => (window as unknown as { __wait: Promise<Painted> }).__wait);

    // 1. Webhook posted -> notification painted (and -> offer on the SSE stream in node).
    const notice = { painted: [] as number[], appeared: [] as number[], sse: [] as number[] };
    for (let i = 0; i < opts.offers + 3; i++) {
      await arm('[role="alertdialog"]');
      const offered = reader.next();
      const webhook = signedInbound({ authToken: fake.authToken, publicUrl: relay.publicUrl, accountSid: fake.accountSid, from: customerPhone(910_000 + i), to: BUSINESS_A, body: `Hello, this is customer ${i}. Is anyone there?` });
      const t0 = now();
      const status = await post(relay.base, webhook);
      if (status !== 200) throw new Error(`webhook answered ${status}`);
      const offer = await offered;
      const shown = await armed();
      if (i >= 3) {
        notice.painted.push(shown.paintedAt - clock.offsetMs - t0);
        notice.appeared.push(shown.appearedAt - clock.offsetMs - t0);
        notice.sse.push(offer.at - t0);
      }
      // Rejected from the agent's other device (the node stream): the relay withdraws the offer and is not offered it again.
      await api(relay.base, token, 'POST', `/conversations/${offer.conversationId}/reject`);
      await page.waitForFunction(() => !(window as unknown as { __felt: { find(s: string): Element | null } }).__felt.find('[role="alertdialog"]'));
      await sleep(20 + Math.random() * 30);
    }

    // 3. Tab switch -> the newest message painted. The first visit to B fetches it (cold); then
    // A is loaded whole (5,000 messages in the thread) and the tabs alternate.
    let movedAway = 0;
    /** Click -> the newest message painted on screen; null when it is not on screen within 3 s (the thread kept another place). */
    const switchTo = async (name: string, newest: string): Promise<number | null> => {
      await page.evaluate(([t]) => {
        const w = window as unknown as { __felt: { waitFor(s: string, t: string | null, h: string | null, ms: number): Promise<unknown> }; __wait: Promise<unknown> };
        w.__wait = w.__felt.waitFor('[data-message-id]', t, null, 3000);
        w.__wait.catch(() => undefined);
      }, [newest] as const);
      await tab(name).click();
      const shown = await armed().catch(() => null);
      const input = await page.evaluate(() => (window as unknown as { __felt: { lastInput(): number } }).__felt.lastInput());
      if (shown) {
        // Still there once the thread has settled (an older page loading can move the view away)?
        await sleep(400);
        const stays = await page.evaluate(([t]) => (window as unknown as { __felt: { visible(s: string, t: string): boolean } }).__felt.visible('[data-message-id]', t), [newest] as const);
        if (!stays) movedAway++;
        return shown.paintedAt - input;
      }
      // What an agent would do: press "New messages" (or End) to get to the newest.
      const more = page.getByRole('button', { name: /^New messages/ });
      if (await more.isVisible()) await more.click();
      return null;
    };
    const coldB = await switchTo(CUSTOMER_B.name, newestB);
    const coldA = await switchTo(CUSTOMER_A.name, newestA);
    const loadStarted = now();
    const inThreadA = await loadWholeThread(page);
    const loadWholeMs = now() - loadStarted;
    const toA: (number | null)[] = [];
    const toB: (number | null)[] = [];
    for (let i = 0; i < opts.switches; i++) {
      toB.push(await switchTo(CUSTOMER_B.name, newestB));
      toA.push(await switchTo(CUSTOMER_A.name, newestA));
    }
    const shownOf = (values: (number | null)[]) => ({ ...stats(values.filter((v): v is number => v !== null)), notShown: values.filter((v) => v === null).length });

    // 4. Typing in A's composer (5,000 messages in the thread), then in B's (the 50 it loaded) as the baseline.
    const composer = page.getByRole('textbox', { name: 'Message', exact: true });
    const typeIn = async () => {
      await composer.click();
      await page.evaluate(() => {
        const w = window as unknown as { __felt: { typingProbe(): () => unknown }; __stopTyping: () => unknown };
        w.__stopTyping = w.__felt.typingProbe();
      });
      const text = 'Thanks for waiting, I can see the parcel left our depot this morning and should arrive tomorrow.'.padEnd(opts.keys, ' ok').slice(0, opts.keys);
      await page.keyboard.type(text, { delay: 30 });
      await sleep(300);
      const r = (await page.evaluate(() => (window as unknown as { __stopTyping: () => unknown }).__stopTyping())) as { perKey: number[]; longTasks: number[]; longFrames: number[]; longFrameSupported: boolean };
      await composer.fill('');
      const inThread = await page.evaluate(() => ((window as unknown as { __felt: { findAll(s: string): Element[] } }).__felt.findAll('wcp-thread')[0] as unknown as { messages: unknown[] }).messages.length);
      return {
        inThread,
        keys: r.perKey.length,
        perKey: stats(r.perKey),
        longTasksOver50: r.longTasks.length,
        longestTaskMs: r.longTasks.length ? round(Math.max(...r.longTasks), 1) : null,
        longFramesOver50: r.longFrameSupported ? r.longFrames.length : null,
        longestFrameMs: r.longFrames.length ? round(Math.max(...r.longFrames), 1) : null,
      };
    };
    const typingA = await typeIn();
    await switchTo(CUSTOMER_B.name, newestB);
    const typingB = await typeIn();
    await switchTo(CUSTOMER_A.name, newestA);

    // 2. Send pressed -> shown in the transcript -> sent tick, in A (5,000 in the thread), then in B as the baseline.
    const sendButton = page.getByRole('button', { name: 'Send', exact: true });
    // BENCH_PROFILE=1: a CPU profile of the page while it sends (felt-send.cpuprofile in the kept temp dir).
    const cdp = process.env.BENCH_PROFILE === '1' ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const sendIn = async (count: number) => {
      const send = { shown: [] as number[], tick: [] as number[], accepted: [] as number[], answered: [] as number[], sseSent: [] as number[], streamToTick: [] as number[], tickFrameWait: [] as number[], pageRead: [] as number[], readToDom: [] as number[], delivery: [] as number[], toDom: [] as number[], clickToFrame: [] as number[], frameWork: [] as number[], shownBeforeAnswer: 0, inDomBeforeAnswer: 0, inFirstFrame: 0 };
      for (let i = 0; i < count + 2; i++) {
        const text = `Felt reply ${i} ${Math.random().toString(36).slice(2, 8)}`;
        await composer.fill(text);
        accepted.length = 0;
        await page.evaluate((t) => {
          const w = window as unknown as { __felt: { waitFor(s: string, t: string | null, h: string | null): Promise<Painted>; lastInput(): number }; __send: Promise<unknown> };
          const shown = w.__felt.waitFor('[data-message-id]', t, null);
          const ticked = w.__felt.waitFor('[data-message-id]', t, '.tick.sent, .tick.delivered, .tick.read');
          w.__send = Promise.all([shown, ticked]).then(async ([a, b]) => {
            // The relay's answer to this send (its POST .../messages), from the page's resource timing.
            const answeredAt = await (w.__felt as unknown as { sendAnswered(since: number): Promise<number | null> }).sendAnswered(w.__felt.lastInput());
            const row = (w.__felt as unknown as { find(s: string, t: string): Element | null }).find('[data-message-id]', t);
            const id = row?.getAttribute('data-message-id') ?? null;
            return { a, b, id, sentRead: id ? (w.__felt as unknown as { sentRead(id: string): number | null }).sentRead(id) : null, pressed: w.__felt.lastInput(), handled: (w.__felt as unknown as { lastInputHandled(): number }).lastInputHandled(), answeredAt };
          });
          w.__send.catch(() => undefined);
        }, text);
        await sendButton.click();
        const r = (await page.evaluate(() => (window as unknown as { __send: Promise<unknown> }).__send)) as { a: Painted; b: Painted; id: string | null; sentRead: number | null; pressed: number; handled: number; answeredAt: number | null };
        if (i < 2) continue;
        send.shown.push(r.a.paintedAt - r.pressed);
        // The split: waiting for the next frame to begin (the display's clock, not the panel), and
        // that frame's own work until it painted (the panel's). One frame = shown by the first.
        send.delivery.push(r.handled - r.pressed);
        send.toDom.push(r.a.appearedAt - r.handled);
        send.clickToFrame.push(r.a.frameAt - r.pressed);
        send.frameWork.push(r.a.paintedAt - r.a.frameAt);
        if (r.a.frames === 1) send.inFirstFrame++;
        send.tick.push(r.b.paintedAt - r.pressed);
        if (accepted[0] !== undefined) send.accepted.push(accepted[0] + clock.offsetMs - r.pressed);
        const onStream = r.id ? reader.sentAt.get(r.id) : undefined;
        if (onStream !== undefined) {
          const streamAt = onStream + clock.offsetMs; // on the page's clock
          send.sseSent.push(streamAt - r.pressed);
          // The page's own share of the tick, send by send: \`sent\` read in node -> the tick painted.
          send.streamToTick.push(r.b.paintedAt - streamAt);
          // Split: the page's stream reader gets the event (its main thread free to run the read), the
          // panel puts the ✓ in the DOM, then the frame that shows it.
          send.tickFrameWait.push(r.b.paintedAt - r.b.appearedAt);
          if (r.sentRead !== null) {
            send.pageRead.push(r.sentRead - streamAt);
            send.readToDom.push(r.b.appearedAt - r.sentRead);
          }
        }
        if (r.answeredAt !== null) {
          send.answered.push(r.answeredAt - r.pressed);
          if (r.a.paintedAt <= r.answeredAt) send.shownBeforeAnswer++;
          if (r.a.appearedAt <= r.answeredAt) send.inDomBeforeAnswer++;
        }
        await sleep(50);
      }
      return { shown: stats(send.shown), tick: stats(send.tick), accepted: stats(send.accepted), answered: stats(send.answered), sseSent: stats(send.sseSent), streamToTick: stats(send.streamToTick), tickFrameWait: stats(send.tickFrameWait), pageRead: stats(send.pageRead), readToDom: stats(send.readToDom), shownBeforeAnswer: send.shownBeforeAnswer, inDomBeforeAnswer: send.inDomBeforeAnswer, inFirstFrame: send.inFirstFrame, delivery: stats(send.delivery), toDom: stats(send.toDom), clickToFrame: stats(send.clickToFrame), frameWork: stats(send.frameWork), sends: send.shown.length };
    };
    // BENCH_TRACE=1: a Chromium performance trace of the sends in A (felt-send.trace.json, for
    // chrome://tracing or DevTools): every task, forced layout and frame of the click's path.
    const trace = process.env.BENCH_TRACE === '1' ? join(opts.dir, 'felt-send.trace.json') : null;
    if (trace) await browser.startTracing(page, { path: trace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'blink.user_timing'] });
    const sendA = await sendIn(opts.sends);
    if (trace) await browser.stopTracing();
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(join(opts.dir, 'felt-send.cpuprofile'), JSON.stringify(profile));
    }
    await switchTo(CUSTOMER_B.name, newestB);
    const sendB = await sendIn(Math.ceil(opts.sends / 2));
    const callbackStatuses = await Promise.all(callbacks);

    return {
      loadAverage: { start: loadAtStart, end: load() },
      seedMs,
      messagesPerConversation: opts.messages,
      pageOpenMs: round(openMs, 0),
      clock,
      notification: { painted: stats(notice.painted), appeared: stats(notice.appeared), sse: stats(notice.sse) },
      tabSwitch: { coldB: coldB === null ? null : round(coldB, 1), coldA: coldA === null ? null : round(coldA, 1), inThreadA, loadWholeMs: round(loadWholeMs, 0), toA: shownOf(toA), toB: shownOf(toB), switches: opts.switches, movedAway },
      typing: { inA: typingA, inB: typingB },
      send: { ...sendA, callbacksNot200: callbackStatuses.filter((s) => s !== 200).length, inB: sendB },
      pageErrors,
    };
  } finally {
    reader.close();
    await browser.close();
    await relay.proc.stop();
    await twilio.close();
  }
}
