import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WINDOW_MS } from '../../src/window/policy.ts';
import { closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';

const PHONE = '+14155550177';
const BODY = 'My order is late';

function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? NaN : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  const relays: TestRelay[] = [];
  after(async () => {
    for (const r of relays) await r.close();
    closeFakeTwilio();
  });

  it('shows every series with known labels at 0 before any traffic (a rate or an alert sees zero, not nothing)', async () => {
    const relay = await startRelay();
    relays.push(relay);
    const text = (await relay.app.inject({ method: 'GET', url: '/metrics' })).body;
    for (const series of [
      'wcp_webhooks_received_total{kind="inbound"}',
      'wcp_webhooks_received_total{kind="status"}',
      'wcp_messages_sent_total{result="sent"}',
      'wcp_messages_sent_total{result="failed"}',
      'wcp_window_refusals_total',
      'wcp_conversations{state="open"}',
      'wcp_conversations{state="closed"}',
    ]) {
      assert.equal(value(text, series), 0, series);
    }
  });

  it('counts real traffic, with no phone number or text in any label', async () => {
    const relay = await startRelay();
    relays.push(relay);
    const agent = await relay.availableAgent('alice', 'Alice');
    const id = await relay.activeConversation(agent, PHONE, BODY);
    assert.equal((await relay.inbound({ From: `whatsapp:${PHONE}`, Body: 'Hello again', MessageSid: 'SM' + '7'.repeat(32) })).statusCode, 200);
    const queued = await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'Checking now' });
    assert.equal(queued.statusCode, 202);
    await relay.app.relay.outbox.drain();
    const sid = relay.twilio.sent.at(-1)!.sid;
    assert.equal((await relay.status({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '63024', AccountSid: relay.twilio.accountSid })).statusCode, 200);
    relay.clock.advance(WINDOW_MS + 60 * 60 * 1000);
    assert.equal((await relay.api(agent, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'Too late' })).statusCode, 422);

    const r = await relay.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /text\/plain/);
    const text = r.body;
    assert.equal(value(text, 'wcp_webhooks_received_total{kind="inbound"}'), 2);
    assert.equal(value(text, 'wcp_webhooks_received_total{kind="status"}'), 1);
    assert.equal(value(text, 'wcp_webhook_duration_seconds_count'), 3);
    assert.equal(value(text, 'wcp_messages_sent_total{result="sent"}'), 1);
    assert.equal(value(text, 'wcp_window_refusals_total'), 1);
    assert.equal(value(text, 'wcp_twilio_errors_total{code="63024"}'), 1);
    assert.equal(value(text, 'wcp_sse_clients'), 0);
    assert.equal(value(text, 'wcp_outbox_depth'), 0);
    assert.equal(value(text, 'wcp_conversations{state="active"}'), 1);
    assert.equal(value(text, 'wcp_conversations{state="wrapup"}'), 0, 'a state with none in it reads 0');
    assert.match(text, /process_cpu_user_seconds_total/);
    const labels = text.split('\n').filter((l) => !l.startsWith('#') && l.includes('{')).join('\n');
    for (const secret of [PHONE, PHONE.slice(1), '4155550177', BODY, 'Hello again', 'Checking now', 'Too late', 'Alice']) {
      assert.ok(!labels.includes(secret), `a label holds ${secret}`);
    }
  });

  it('with METRICS_TOKEN: 401 without the bearer token, 200 with it', async () => {
    const relay = await startRelay({ env: { METRICS_TOKEN: 'metrics-secret-token' } });
    relays.push(relay);
    assert.equal((await relay.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
    assert.equal((await relay.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
    const ok = await relay.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-secret-token' }, remoteAddress: '203.0.113.9' });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /wcp_webhooks_received_total/);
  });

  it('without METRICS_TOKEN: loopback only, others 403; hidden from the OpenAPI document', async () => {
    const relay = await startRelay();
    relays.push(relay);
    for (const local of ['::1', '127.0.0.1', '127.0.0.2', '::ffff:127.0.0.1', '::ffff:127.3.4.5']) {
      assert.equal((await relay.app.inject({ method: 'GET', url: '/metrics', remoteAddress: local })).statusCode, 200, local);
    }
    for (const other of ['203.0.113.9', '128.0.0.1', '::ffff:203.0.113.9', '::2', '10.127.0.1']) {
      assert.equal((await relay.app.inject({ method: 'GET', url: '/metrics', remoteAddress: other })).statusCode, 403, other);
    }
    const spec = relay.app.swagger() as { paths?: Record<string, unknown> };
    assert.equal(spec.paths?.['/metrics'], undefined);
  });
});
