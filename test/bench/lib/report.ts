/** Budgets (kept in step with README.md), the table of figures vs budgets, and its text form. */
import { round } from './stats.ts';
export const BUDGETS = {
  /** Issue 17's raised budgets are ratios against a baseline of the same run: the machine's speed moves by the hour. */
  webhookShareOfBaselinePct: 35,
  ackP99xBaseline: 2,
  sseP50xBaseline: 1.5,
  sseP99xBaseline: 2,
  pgShareOfBaselinePct: 25,
  pgAckP99xBaseline: 3,
  pgSseP50xBaseline: 3,
  panelFirstPaintX50: 1.0,
  panelFirstPaintXPlain: 0.5,
  panelNodes: 150,
  pcfGzipKB: 50,
  rssMB: 120,
  startupX: 1.5,
  sendsPerSecondPerSender: 80,
  /** What the agent feels (scenarios/felt.ts): one frame over the relay's own SSE figure, and absolute ceilings. */
  feltNoticeOverSseMs: 17,
  feltNoticeP99Ms: 100,
  feltSentTickP50Ms: 50,
  feltOpenP50Ms: 100,
  feltLongTaskMs: 50,
};

export interface Row {
  metric: string;
  value: string;
  baseline: string;
  budget: string;
  verdict: 'pass' | 'MISS' | 'n/a' | 'ERROR';
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `a` as a multiple of `b`, e.g. "1.7x". */
const x = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

const v = (ok: boolean | undefined): Row['verdict'] => (ok === undefined ? 'n/a' : ok ? 'pass' : 'MISS');

export function table(results: Record<string, unknown>): { rows: Row[]; failed: boolean } {
  const r = results as Any;
  const rows: Row[] = [];
  const B = BUDGETS;
  let failed = false;
  const error = (name: string) => {
    if (r[name]?.error) {
      failed = true;
      rows.push({ metric: `${name}: scenario failed`, value: String(r[name].error).slice(0, 80), baseline: '', budget: '', verdict: 'ERROR' });
      return true;
    }
    return !r[name];
  };

  if (!error('webhooks')) {
    const w = r.webhooks;
    rows.push({ metric: 'Signed durable webhooks/s (SQLite)', value: `${w.webhooksPerSecond}/s (${w.shareOfBaseline} %)`, baseline: `${w.baselinePerSecond}/s bare Fastify`, budget: `>= ${B.webhookShareOfBaselinePct} % of bare`, verdict: v(w.shareOfBaseline >= B.webhookShareOfBaselinePct) });
    rows.push({
      metric: `Ack latency at ${w.atRate.rate}/s p50 / p99`,
      value: `${w.atRate.p50} / ${w.atRate.p99} ms (${w.atRate.achieved}/s done, p99 ${x(w.atRate.p99, w.atRate.baselineP99)})`,
      baseline: `${w.atRate.baselineP50} / ${w.atRate.baselineP99} ms`,
      budget: `p99 <= ${B.ackP99xBaseline}x bare`,
      verdict: v(w.atRate.p99 <= B.ackP99xBaseline * w.atRate.baselineP99 && w.atRate.achieved >= 0.95 * w.atRate.rate),
    });
    const cpu = w.cpuPerWebhook;
    if (cpu?.relay.target && cpu.baseline.target) {
      const t = cpu.relay.target;
      rows.push({
        metric: '  CPU per webhook at full load (µs)',
        value: `${t.totalUs}: main ${t.mainUs}, busiest other thread ${t.busiestOtherUs}, rest ${t.restUs}; load gen ${cpu.relay.loadGeneratorUs}`,
        baseline: `bare ${cpu.baseline.target.totalUs}; load gen ${cpu.baseline.loadGeneratorUs}`,
        budget: '(info)',
        verdict: 'n/a',
      });
    }
    if (w.compare) {
      const c = w.compare;
      if (c.cpuPerWebhook?.target) rows.push({ metric: '  relay to compare: CPU per webhook (µs)', value: `${c.cpuPerWebhook.target.totalUs}: main ${c.cpuPerWebhook.target.mainUs}, busiest other thread ${c.cpuPerWebhook.target.busiestOtherUs}, rest ${c.cpuPerWebhook.target.restUs}`, baseline: '', budget: '(info)', verdict: 'n/a' });
      rows.push({ metric: '  relay to compare (BENCH_COMPARE): webhooks/s', value: `${c.webhooksPerSecond}/s (${c.shareOfBaseline} %)`, baseline: `${w.baselinePerSecond}/s bare Fastify`, budget: '(info)', verdict: 'n/a' });
      rows.push({ metric: '  relay to compare: ack p50 / p99', value: `${c.atRate.p50} / ${c.atRate.p99} ms (${c.atRate.achieved}/s done)`, baseline: `${w.atRate.baselineP50} / ${w.atRate.baselineP99} ms`, budget: '(info)', verdict: 'n/a' });
    }
    rows.push({ metric: '  acked webhooks all stored, once', value: `${w.durability.acknowledged} acked, ${w.durability.storedMessages} stored`, baseline: '', budget: 'all', verdict: v(w.durability.ok) });
  }
  if (!error('sse')) {
    const s = r.sse;
    // Was the floor while the event was sent after the commit's fsync; since the twelfth session
    // the SQLite store hands events to the streams at the commit and syncs its log after (the
    // webhook's answer waits for the sync, the agent does not), so it is the sync's cost beside
    // the figure. Taken at the probes' own rate where measured (a spaced-out commit costs more).
    const commit = s.fsyncCommitAtProbeRate ?? s.fsyncCommitBefore;
    if (commit) {
      const floor = s.baseline.p50 + commit.p50Ms;
      const how = s.fsyncCommitAtProbeRate ? `fsync p50 ${commit.p50Ms} ms at ${s.fsyncCommitAtProbeRate.ratePerS}/s (${s.fsyncCommitBefore.p50Ms} back to back)` : `fsync p50 ${commit.p50Ms} ms`;
      rows.push({ metric: '  bare push + one fsynced commit (the event no longer waits for it)', value: `${round(floor, 2)} ms (${x(floor, s.baseline.p50)})`, baseline: how, budget: '(info)', verdict: 'n/a' });
    }
    if (s.control) rows.push({ metric: 'Webhook -> SSE, relay with 1 agent (control)', value: `${s.control.p50} / ${s.control.p99} ms p50 / p99`, baseline: '', budget: '(info)', verdict: 'n/a' });
    const seen = s.relay.received === s.relay.sent;
    rows.push({ metric: `Webhook -> SSE p50 (${s.agents} agents)`, value: `${s.relay.p50} ms (${x(s.relay.p50, s.baseline.p50)})`, baseline: `${s.baseline.p50} ms bare push`, budget: `<= ${B.sseP50xBaseline}x bare`, verdict: v(s.relay.p50 <= B.sseP50xBaseline * s.baseline.p50 && seen) });
    rows.push({ metric: `Webhook -> SSE p99 (${s.agents} agents)`, value: `${s.relay.p99} ms (${x(s.relay.p99, s.baseline.p99)}; ${s.relay.received}/${s.relay.sent} seen)`, baseline: `${s.baseline.p99} ms`, budget: `<= ${B.sseP99xBaseline}x bare`, verdict: v(s.relay.p99 <= B.sseP99xBaseline * s.baseline.p99 && seen) });
    if (s.compare) rows.push({ metric: '  relay to compare (BENCH_COMPARE) p50 / p99', value: `${s.compare.p50} / ${s.compare.p99} ms (${s.compare.received}/${s.compare.sent})`, baseline: `${s.baseline.p50} / ${s.baseline.p99} ms`, budget: '(info)', verdict: 'n/a' });
  }
  if (!error('panel')) {
    const p = r.panel;
    rows.push({
      metric: '5,000-message transcript: mount -> first paint',
      value: `${p.thread5000.paintedMs} ms (newest message painted in frame ${p.thread5000.paintedFrames}; nav -> paint ${p.thread5000.firstPaintMs} ms)`,
      baseline: `50 msgs ${p.baselineThread50.paintedMs} ms (frame ${p.baselineThread50.paintedFrames}); 5,000 divs ${p.baselinePlain5000.paintedMs} ms`,
      budget: `<= ${B.panelFirstPaintX50}x 50 msgs, <= ${B.panelFirstPaintXPlain}x divs`,
      verdict: v(p.thread5000.paintedMs <= B.panelFirstPaintX50 * p.baselineThread50.paintedMs && p.thread5000.paintedMs <= B.panelFirstPaintXPlain * p.baselinePlain5000.paintedMs),
    });
    rows.push({
      metric: '  mount -> settled (layout complete + 2 frames)',
      value: `${p.thread5000.settledMs} ms`,
      baseline: `50 msgs ${p.baselineThread50.settledMs} ms; 5,000 divs ${p.baselinePlain5000.settledMs} ms`,
      budget: '(info)',
      verdict: 'n/a',
    });
    rows.push({
      metric: '5,000-message transcript: message rows in DOM',
      value: `${p.thread5000.rows} rows (${p.thread5000.elements} elements)`,
      baseline: `50 msgs ${p.baselineThread50.rows}; 5,000 divs ${p.baselinePlain5000.rows}`,
      budget: `<= ${B.panelNodes}`,
      verdict: v(p.thread5000.rows <= B.panelNodes),
    });
  }
  if (!error('felt')) {
    const f = r.felt;
    const n = f.notification;
    const at = `load ${f.loadAverage.start[0]}`;
    rows.push({
      metric: `Felt: webhook -> notification painted (${n.painted.n})`,
      value: `p50 ${n.painted.p50} / p99 ${n.painted.p99} ms (+${(n.painted.p50 - n.sse.p50).toFixed(1)} ms over SSE)`,
      baseline: `SSE in node, same stream: p50 ${n.sse.p50} / p99 ${n.sse.p99} ms; ${at}`,
      budget: `p50 <= SSE + ${B.feltNoticeOverSseMs} ms, p99 <= ${B.feltNoticeP99Ms} ms`,
      verdict: v(n.painted.p50 <= n.sse.p50 + B.feltNoticeOverSseMs && n.painted.p99 <= B.feltNoticeP99Ms),
    });
    const s = f.send;
    rows.push({
      metric: `Felt: Send -> message shown (${s.sends})`,
      value: `p50 ${s.shown.p50} / p99 ${s.shown.p99} ms painted; in the DOM before the relay answered ${s.inDomBeforeAnswer}/${s.sends}, painted before ${s.shownBeforeAnswer}/${s.sends}; shown by the first frame after the click ${s.inFirstFrame}/${s.sends} (p50: click delivered to the page ${s.delivery?.p50}, handler -> row in the DOM ${s.toDom?.p50}, click -> frame start ${s.clickToFrame?.p50}, that frame's work ${s.frameWork?.p50} ms)`,
      baseline: `relay answered the send: p50 ${s.answered.p50} ms`,
      budget: 'before the relay answers',
      verdict: v(s.inDomBeforeAnswer === s.sends),
    });
    rows.push({
      metric: 'Felt: Send -> sent tick painted',
      value: `p50 ${s.tick.p50} / p99 ${s.tick.p99} ms`,
      baseline: `fake Twilio accepted p50 ${s.accepted.p50} ms; \`sent\` on the SSE stream in node p50 ${s.sseSent?.p50} ms, from there to the tick painted p50 ${s.streamToTick?.p50} ms (read in the page ${s.pageRead?.p50}, in the DOM ${s.readToDom?.p50} after that, then painted ${s.tickFrameWait?.p50})${s.inB ? `; in a ${f.typing.inB.inThread}-message thread: tick p50 ${s.inB.tick.p50} ms (on the stream ${s.inB.sseSent.p50}, to the tick ${s.inB.streamToTick?.p50})` : ''}`,
      budget: `p50 <= ${B.feltSentTickP50Ms} ms`,
      verdict: v(s.tick.p50 <= B.feltSentTickP50Ms && s.callbacksNot200 === 0),
    });
    const t = f.tabSwitch;
    const shown = (x: Any) => `p50 ${x.p50} / p99 ${x.p99} ms${x.notShown ? `, newest NOT shown ${x.notShown}/${t.switches}` : ''}`;
    rows.push({
      metric: `Felt: tab switch -> newest painted, ${t.inThreadA} msgs loaded`,
      value: `${shown(t.toA)}${t.movedAway ? `; view moved off the newest 400 ms later in ${t.movedAway} of ${2 * t.switches + 2} switches` : ''}`,
      baseline: `to a ${f.typing.inB.inThread}-message tab: ${shown(t.toB)}; first open ${t.coldB ?? 'NOT shown'} ms, back ${t.coldA ?? 'NOT shown'}`,
      budget: `p50 <= ${B.feltOpenP50Ms} ms, shown and kept`,
      verdict: v(t.toA.p50 <= B.feltOpenP50Ms && !t.toA.notShown && !t.toB.notShown && t.coldA !== null && t.coldB !== null && !t.movedAway),
    });
    const ty = f.typing;
    rows.push({
      metric: `Felt: typing ${ty.inA.keys} keys, ${ty.inA.inThread} msgs in thread`,
      value: `${ty.inA.longTasksOver50} tasks > 50 ms${ty.inA.longestTaskMs ? ` (longest ${ty.inA.longestTaskMs})` : ''}; key -> frame p50 ${ty.inA.perKey.p50} / p99 ${ty.inA.perKey.p99} ms`,
      baseline: `${ty.inB.inThread} msgs: ${ty.inB.longTasksOver50} tasks > 50 ms; p50 ${ty.inB.perKey.p50} / p99 ${ty.inB.perKey.p99} ms`,
      budget: `no task > ${B.feltLongTaskMs} ms`,
      verdict: v(ty.inA.longTasksOver50 === 0),
    });
  }
  if (!error('bundle')) {
    const b = r.bundle;
    rows.push({ metric: `PCF bundle, gzipped${b.buildError ? ' (build failed: last built)' : ''}`, value: `${b.pcfGzipKB} KB`, baseline: `widget alone ${b.widgetGzipKB} KB (+${b.addedByPcfGzipKB} KB in PCF${b.containsMsal ? ', MSAL' : ''})`, budget: `<= ${B.pcfGzipKB} KB`, verdict: v(b.pcfGzipKB <= B.pcfGzipKB) });
  }
  if (!error('memory')) {
    const m = r.memory;
    rows.push({
      metric: `Relay RSS, ${m.conversations} conversations + ${m.clients} SSE`,
      value: `${m.peakMB} MB peak (${m.connectedMB} MB connected)`,
      baseline: `${m.baselineIdleMB} MB idle relay (${m.baselineIdleAnonMB} anon + ${m.baselineIdleFileMB} file-backed)`,
      budget: `<= ${B.rssMB} MB`,
      verdict: v(m.peakMB <= B.rssMB),
    });
    if (m.compare) {
      const c = m.compare;
      rows.push({ metric: `  the build to compare (${c.main})`, value: `${c.peakMB} MB peak (${c.connectedMB} MB connected)`, baseline: `${c.baselineIdleMB} MB idle relay (${c.baselineIdleAnonMB} anon + ${c.baselineIdleFileMB} file-backed)`, budget: '(info)', verdict: 'n/a' });
    }
    rows.push({ metric: `  webhook -> SSE with ${m.clients} clients p50 / p99`, value: `${m.latencyWith1000Clients.p50} / ${m.latencyWith1000Clients.p99} ms (${m.latencyWith1000Clients.received}/${m.latencyWith1000Clients.sent})`, baseline: '', budget: '(info)', verdict: 'n/a' });
  }
  if (!error('startup')) {
    const t = r.startup;
    rows.push({ metric: `Relay start -> /readyz, ${t.messages} messages`, value: `${t.fullMs} ms (${t.ratio}x)`, baseline: `${t.emptyMs} ms on an empty database`, budget: `<= ${B.startupX}x empty`, verdict: v(t.ratio <= B.startupX) });
  }
  if (!error('growth')) {
    const g = r.growth;
    const [c0] = g.byConversations;
    if (c0) for (const c of g.byConversations) rows.push({ metric: `Growth: ${c.conversations} conversations in the database`, value: `${c.webhooksPerSecond}/s (${x(c.webhooksPerSecond, c0.webhooksPerSecond)}), ack p99 ${c.ackP99AtRate} ms, RSS ${c.idleMB} idle / ${c.peakMB} peak MB`, baseline: `${c0.conversations}: ${c0.webhooksPerSecond}/s`, budget: '(info)', verdict: 'n/a' });
    const [a0] = g.byAgents;
    if (a0) for (const a of g.byAgents) rows.push({ metric: `Growth: ${a.agents} agents connected`, value: `SSE p50 ${a.p50} / p99 ${a.p99} ms (${a.received}/${a.sent}), RSS ${a.connectedMB} / ${a.peakMB} peak MB`, baseline: `${a0.agents}: p50 ${a0.p50} ms, ${a0.connectedMB} MB`, budget: '(info)', verdict: 'n/a' });
  }
  if (!error('pacing')) {
    const p = r.pacing;
    const lim = B.sendsPerSecondPerSender;
    rows.push({ metric: 'Outbound 1,000 to one sender: rate at Twilio', value: `${p.senderA.ratePerS}/s avg, ${p.senderA.maxIn1s} max in 1 s`, baseline: `unpaced ${p.baselineUnpaced.ratePerS}/s, ${p.baselineUnpaced.maxIn1s} in 1 s`, budget: `<= ${lim}/s`, verdict: v(p.senderA.maxIn1s <= lim) });
    rows.push({ metric: '  as handed to the transport by the worker', value: `${p.handedOverA.ratePerS}/s avg, ${p.handedOverA.maxIn1s} max in 1 s`, baseline: '', budget: `<= ${lim}/s`, verdict: v(p.handedOverA.maxIn1s <= lim) });
    rows.push({ metric: '  20429 / 63018 refusals', value: `${p.senderA.refusedRateLimit + p.senderB.refusedRateLimit}`, baseline: '(fake does not rate-limit)', budget: '0', verdict: v(p.senderA.refusedRateLimit + p.senderB.refusedRateLimit === 0) });
    rows.push({ metric: '  second sender independent', value: `B first send at ${((p.senderB.firstAfterMs ?? NaN) / 1000).toFixed(1)} s, ${p.senderB.ratePerS}/s`, baseline: `A ran ${((p.senderA.firstAfterMs ?? 0) / 1000).toFixed(1)}-${((p.senderA.lastAfterMs ?? 0) / 1000).toFixed(1)} s`, budget: 'B starts < 1.5 s', verdict: v(p.independent) });
  }
  if (!error('postgres')) {
    const g = r.postgres;
    if (!g.measured) rows.push({ metric: 'PostgreSQL, two instances', value: 'not measured', baseline: g.reason, budget: '', verdict: 'n/a' });
    else {
      const bare = r.webhooks;
      const share = bare?.baselinePerSecond ? Math.round((1000 * g.webhooksPerSecond) / bare.baselinePerSecond) / 10 : null;
      rows.push({ metric: 'Webhooks/s, PostgreSQL, 2 instances', value: `${g.webhooksPerSecond}/s (${g.perInstance.join(' + ')}${share === null ? '' : `; ${share} %`})`, baseline: bare?.baselinePerSecond ? `${bare.baselinePerSecond}/s bare` : 'needs BENCH_ONLY webhooks', budget: `>= ${B.pgShareOfBaselinePct} % of bare`, verdict: v(share === null ? undefined : share >= B.pgShareOfBaselinePct) });
      const ackBase = bare?.atRate?.baselineP99;
      rows.push({ metric: `  ack at ${g.atRate.rate}/s p50 / p99`, value: `${g.atRate.p50} / ${g.atRate.p99} ms (${g.atRate.achieved}/s done${ackBase ? `, p99 ${x(g.atRate.p99, ackBase)}` : ''})`, baseline: ackBase ? `bare p99 ${ackBase} ms` : '', budget: `p99 <= ${B.pgAckP99xBaseline}x bare`, verdict: v(ackBase ? g.atRate.p99 <= B.pgAckP99xBaseline * ackBase && g.atRate.achieved >= 0.95 * g.atRate.rate : undefined) });
      const push = r.sse?.baseline;
      rows.push({ metric: '  webhook -> SSE across instances p50 / p99', value: `${g.sse.p50} / ${g.sse.p99} ms (${g.sse.received}/${g.sse.sent}${push ? `; p50 ${x(g.sse.p50, push.p50)}` : ''})`, baseline: push ? `${push.p50} / ${push.p99} ms bare` : 'needs BENCH_ONLY sse', budget: `p50 <= ${B.pgSseP50xBaseline}x bare`, verdict: v(push ? g.sse.p50 <= B.pgSseP50xBaseline * push.p50 && g.sse.received === g.sse.sent : undefined) });
      rows.push({ metric: '  both relays CPU per webhook / per SSE probe', value: `${g.relayCpuUsPerWebhook} / ${g.sse.relayCpuUsPerProbe} µs`, baseline: '', budget: '(info)', verdict: 'n/a' });
      const f = g.fullLoadCpuPerWebhook;
      if (f) {
        const pgUs = f.postgresUs === null ? 'PostgreSQL not on this machine' : `PostgreSQL ${f.postgresUs}`;
        rows.push({ metric: '  CPU per webhook at full load, whole machine', value: `relays ${f.relaysUs} + ${pgUs} + load ${f.loadGeneratorsUs} = ${f.totalUs} µs`, baseline: `${f.cores} cores: ceiling ${f.ceilingPerSecond}/s`, budget: '(info)', verdict: 'n/a' });
      }
      const c = g.compare;
      if (c?.measured) {
        rows.push({ metric: '  relay to compare (BENCH_COMPARE): webhooks/s', value: `${c.webhooksPerSecond}/s (${c.perInstance.join(' + ')}${bare?.baselinePerSecond ? `; ${Math.round((1000 * c.webhooksPerSecond) / bare.baselinePerSecond) / 10} %` : ''})`, baseline: '', budget: '(info)', verdict: 'n/a' });
        rows.push({ metric: '  relay to compare: ack p50 / p99', value: `${c.atRate.p50} / ${c.atRate.p99} ms (${c.atRate.achieved}/s done)`, baseline: '', budget: '(info)', verdict: 'n/a' });
        rows.push({ metric: '  relay to compare: SSE across p50 / p99', value: `${c.sse.p50} / ${c.sse.p99} ms (${c.sse.received}/${c.sse.sent})`, baseline: '', budget: '(info)', verdict: 'n/a' });
        rows.push({ metric: '  relay to compare: relays CPU per webhook / probe', value: `${c.relayCpuUsPerWebhook} / ${c.sse.relayCpuUsPerProbe} µs`, baseline: '', budget: '(info)', verdict: 'n/a' });
        for (const [i, round] of (g.rounds ?? []).slice(1).entries()) {
          const figures = (m: Any) => (m?.measured ? `${m.webhooksPerSecond}/s, ack p99 ${m.atRate.p99} ms, SSE p50 ${m.sse.p50} ms, CPU ${m.relayCpuUsPerWebhook} / ${m.sse.relayCpuUsPerProbe} µs${m.fullLoadCpuPerWebhook ? `, at full load relays ${m.fullLoadCpuPerWebhook.relaysUs} + PostgreSQL ${m.fullLoadCpuPerWebhook.postgresUs ?? '?'} µs` : ''}` : 'not measured');
          rows.push({ metric: `  round ${i + 2} (${i % 2 === 0 ? 'compare first' : 'this first'}): this | compare`, value: `${figures(round.this)} | ${figures(round.compare)}`, baseline: '', budget: '(info)', verdict: 'n/a' });
        }
      }
    }
  }
  return { rows, failed };
}

export function render(rows: Row[], env: Record<string, unknown>): string {
  const heads: Row = { metric: 'metric', value: 'measured', baseline: 'baseline (same run)', budget: 'budget', verdict: 'pass' };
  const all = [heads, ...rows];
  const width = (k: keyof Row) => Math.max(...all.map((r) => r[k].length));
  const line = (r: Row) => `${r.metric.padEnd(width('metric'))} | ${r.value.padEnd(width('value'))} | ${r.baseline.padEnd(width('baseline'))} | ${r.budget.padEnd(width('budget'))} | ${r.verdict}`;
  const rule = '-'.repeat(line(heads).length);
  const m = env.machineAtStart as Any | undefined;
  const machine = m
    ? `\nmachine at start: fsynced commit p50 ${m.fsyncCommit.p50Ms} ms / p99 ${m.fsyncCommit.p99Ms} ms, CPU pressure ${m.pressure.cpu?.avg60 ?? '?'} %, load ${m.loadAverage.join(' ')}`
    : '';
  return `\n${line(heads)}\n${rule}\n${rows.map(line).join('\n')}\n${rule}\n${env.cpus} CPUs, node ${env.node}, load average at end ${(env.loadAverageAtEnd as number[]).join(' ')}, ${env.durationS} s${machine}\n`;
}
