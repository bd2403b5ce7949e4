/** Budgets (kept in step with README.md), the table of figures vs budgets, and its text form. */
export const BUDGETS = {
  webhooksPerSecond: 3000,
  webhookShareOfBaselinePct: 25,
  ackP99Ms: 50,
  sseP50Ms: 5,
  sseP99Ms: 25,
  panelFirstPaintMs: 150,
  panelNodes: 150,
  pcfGzipKB: 50,
  rssMB: 150,
  sendsPerSecondPerSender: 80,
};

export interface Row {
  metric: string;
  value: string;
  baseline: string;
  budget: string;
  verdict: 'pass' | 'MISS' | 'n/a' | 'ERROR';
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
    rows.push({ metric: 'Signed durable webhooks/s (SQLite)', value: `${w.webhooksPerSecond}/s`, baseline: `${w.baselinePerSecond}/s bare Fastify`, budget: `>= ${B.webhooksPerSecond}/s`, verdict: v(w.webhooksPerSecond >= B.webhooksPerSecond) });
    rows.push({ metric: '  share of the bare baseline', value: `${w.shareOfBaseline} %`, baseline: '100 %', budget: `>= ${B.webhookShareOfBaselinePct} %`, verdict: v(w.shareOfBaseline >= B.webhookShareOfBaselinePct) });
    rows.push({
      metric: `Ack latency at ${w.atRate.rate}/s p50 / p99`,
      value: `${w.atRate.p50} / ${w.atRate.p99} ms (${w.atRate.achieved}/s done)`,
      baseline: `${w.atRate.baselineP50} / ${w.atRate.baselineP99} ms`,
      budget: `p99 < ${B.ackP99Ms} ms`,
      verdict: v(w.atRate.p99 < B.ackP99Ms && w.atRate.achieved >= 0.95 * w.atRate.rate),
    });
    rows.push({ metric: '  acked webhooks all stored, once', value: `${w.durability.acknowledged} acked, ${w.durability.storedMessages} stored`, baseline: '', budget: 'all', verdict: v(w.durability.ok) });
  }
  if (!error('sse')) {
    const s = r.sse;
    if (s.control) rows.push({ metric: 'Webhook -> SSE, relay with 1 agent (control)', value: `${s.control.p50} / ${s.control.p99} ms p50 / p99`, baseline: '', budget: '(info)', verdict: 'n/a' });
    rows.push({ metric: `Webhook -> SSE p50 (${s.agents} agents)`, value: `${s.relay.p50} ms`, baseline: `${s.baseline.p50} ms bare push`, budget: `<= ${B.sseP50Ms} ms`, verdict: v(s.relay.p50 <= B.sseP50Ms && s.relay.received === s.relay.sent) });
    rows.push({ metric: `Webhook -> SSE p99 (${s.agents} agents)`, value: `${s.relay.p99} ms (${s.relay.received}/${s.relay.sent} seen)`, baseline: `${s.baseline.p99} ms`, budget: `<= ${B.sseP99Ms} ms`, verdict: v(s.relay.p99 <= B.sseP99Ms && s.relay.received === s.relay.sent) });
  }
  if (!error('panel')) {
    const p = r.panel;
    rows.push({
      metric: '5,000-message transcript: mount -> first paint',
      value: `${p.thread5000.renderMs} ms (nav -> paint ${p.thread5000.firstPaintMs} ms)`,
      baseline: `50 msgs ${p.baselineThread50.renderMs} ms; 5,000 divs ${p.baselinePlain5000.renderMs} ms`,
      budget: `<= ${B.panelFirstPaintMs} ms`,
      verdict: v(p.thread5000.renderMs <= B.panelFirstPaintMs),
    });
    rows.push({
      metric: '5,000-message transcript: message rows in DOM',
      value: `${p.thread5000.rows} rows (${p.thread5000.elements} elements)`,
      baseline: `50 msgs ${p.baselineThread50.rows}; 5,000 divs ${p.baselinePlain5000.rows}`,
      budget: `<= ${B.panelNodes}`,
      verdict: v(p.thread5000.rows <= B.panelNodes),
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
      baseline: `${m.baselineIdleMB} MB idle relay`,
      budget: `<= ${B.rssMB} MB`,
      verdict: v(m.peakMB <= B.rssMB),
    });
    rows.push({ metric: `  webhook -> SSE with ${m.clients} clients p50 / p99`, value: `${m.latencyWith1000Clients.p50} / ${m.latencyWith1000Clients.p99} ms (${m.latencyWith1000Clients.received}/${m.latencyWith1000Clients.sent})`, baseline: '', budget: '(info)', verdict: 'n/a' });
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
      rows.push({ metric: 'Webhooks/s, PostgreSQL, 2 instances', value: `${g.webhooksPerSecond}/s (${g.perInstance.join(' + ')})`, baseline: r.webhooks?.baselinePerSecond ? `${r.webhooks.baselinePerSecond}/s bare` : '', budget: `>= ${B.webhooksPerSecond}/s`, verdict: v(g.webhooksPerSecond >= B.webhooksPerSecond) });
      rows.push({ metric: `  ack at ${g.atRate.rate}/s p50 / p99`, value: `${g.atRate.p50} / ${g.atRate.p99} ms (${g.atRate.achieved}/s done)`, baseline: '', budget: `p99 < ${B.ackP99Ms} ms`, verdict: v(g.atRate.p99 < B.ackP99Ms && g.atRate.achieved >= 0.95 * g.atRate.rate) });
      rows.push({ metric: '  webhook -> SSE across instances p50 / p99', value: `${g.sse.p50} / ${g.sse.p99} ms (${g.sse.received}/${g.sse.sent})`, baseline: r.sse ? `${r.sse.baseline.p50} / ${r.sse.baseline.p99} ms bare` : '', budget: `<= ${B.sseP50Ms} / ${B.sseP99Ms} ms`, verdict: v(g.sse.p50 <= B.sseP50Ms && g.sse.p99 <= B.sseP99Ms) });
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
