/**
 * Issue 16: "A 4xx that will not succeed is kept with its error, shown to supervisors and
 * counted". Dataverse (the fake, speaking the Web API) refuses a write for want of a security
 * role; a supervisor reads it at GET /api/v1/supervisor/crm-failures, an agent may not, and
 * /metrics counts it until the next change to the conversation tries again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_TENANT, startFakeDataverse, type FakeDataverse } from '../fakes/dataverse.ts';
import { startRelay, type TestRelay } from '../helpers/harness.ts';

function gauge(metrics: string, series: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.slice(series.length + 1));
}

describe('GET /api/v1/supervisor/crm-failures', () => {
  let dataverse: FakeDataverse;
  let relay: TestRelay;
  let agent: string;
  let supervisor: string;

  before(async () => {
    dataverse = await startFakeDataverse();
    relay = await startRelay({
      env: {
        DATAVERSE_URL: dataverse.url,
        DATAVERSE_CLIENT_ID: FAKE_CLIENT_ID,
        DATAVERSE_CLIENT_SECRET: FAKE_CLIENT_SECRET,
        ENTRA_TENANT_ID: FAKE_TENANT,
        ENTRA_AUTHORITY_HOST: dataverse.url,
      },
    });
    agent = await relay.availableAgent('alice', 'Alice Example');
    supervisor = await relay.token('sue', 'Sue Visor', { role: 'supervisor' });
  });
  after(async () => {
    await relay.close();
    await dataverse.close();
  });

  const failures = async () => {
    const r = await relay.api(supervisor, 'GET', '/api/v1/supervisor/crm-failures');
    assert.equal(r.statusCode, 200);
    return r.json().items as Array<{ conversationId: string; attempts: number; failedAt: string; error: string }>;
  };
  const metrics = async () => (await relay.app.inject({ method: 'GET', url: '/metrics' })).body;

  it('is empty, and the gauge 0, while every write lands', async () => {
    await relay.activeConversation(agent, '+447700900201');
    await relay.app.relay.crm!.pump();
    assert.deepEqual(await failures(), []);
    assert.equal(gauge(await metrics(), 'wcp_crm_writes_failed'), 0);
  });

  it('answers 403 forbidden to an agent', async () => {
    const r = await relay.api(agent, 'GET', '/api/v1/supervisor/crm-failures');
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().error, 'forbidden');
  });

  it('lists a write Dataverse refused for good with its error, counts it, and drops it once a change lands', async () => {
    dataverse.denyPrivilege(true);
    const id = await relay.activeConversation(agent, '+447700900202');
    await relay.app.relay.crm!.pump();
    const items = await failures();
    assert.equal(items.length, 1);
    const [failed] = items;
    assert.equal(failed!.conversationId, id);
    assert.equal(failed!.attempts, 1, 'a 403 is not retried');
    assert.equal(failed!.failedAt, new Date(relay.clock.now()).toISOString());
    assert.match(failed!.error, /security role/, 'the error names the fix');
    assert.equal(gauge(await metrics(), 'wcp_crm_writes_failed'), 1);

    dataverse.denyPrivilege(false);
    assert.equal((await relay.api(agent, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'waiting' })).statusCode, 200);
    await relay.app.relay.crm!.pump();
    assert.deepEqual(await failures(), []);
    assert.equal(gauge(await metrics(), 'wcp_crm_writes_failed'), 0);
  });

  it("writes a refused activity again at a supervisor's Retry, once the cause is fixed; an agent may not", async () => {
    dataverse.denyPrivilege(true);
    const refused = await relay.activeConversation(agent, '+447700900203');
    const other = await relay.activeConversation(agent, '+447700900204');
    await relay.app.relay.crm!.pump();
    assert.deepEqual(new Set((await failures()).map((f) => f.conversationId)), new Set([refused, other]));

    // The administrator grants the role; nothing changes in the conversations themselves.
    dataverse.denyPrivilege(false);
    const byAgent = await relay.api(agent, 'POST', '/api/v1/supervisor/crm-failures/retry', {});
    assert.equal(byAgent.statusCode, 403);
    const written = dataverse.requests.length;
    const retry = await relay.api(supervisor, 'POST', '/api/v1/supervisor/crm-failures/retry', { conversationIds: [refused, 'not-a-failed-write'] });
    assert.equal(retry.statusCode, 202, retry.body);
    assert.deepEqual(retry.json().retried, [refused], 'only a refused write is retried');
    await relay.app.relay.crm!.pump();
    assert.ok(dataverse.requests.slice(written).some((r) => r.status < 300), 'the activity was written');
    assert.deepEqual((await failures()).map((f) => f.conversationId), [other], 'the retried write is off the list; the other waits for its own Retry');

    const all = await relay.api(supervisor, 'POST', '/api/v1/supervisor/crm-failures/retry'); // no body: every one listed
    assert.deepEqual(all.json().retried, [other]);
    await relay.app.relay.crm!.pump();
    assert.deepEqual(await failures(), []);
    assert.equal(gauge(await metrics(), 'wcp_crm_writes_failed'), 0);
  });

  it('waits out a 429 with Retry-After instead of sending the rest of the backlog into the throttle', async () => {
    // 25 customers whose conversations a supervisor closes (each one an activity to write).
    for (let i = 0; i < 25; i++) assert.equal((await relay.inbound({ From: `whatsapp:+4477009003${String(i).padStart(2, '0')}`, Body: 'Hi' })).statusCode, 200);
    const open = (await relay.api(supervisor, 'GET', '/api/v1/conversations?state=open')).json().items as { id: string }[];
    for (const c of open) assert.equal((await relay.api(supervisor, 'PUT', `/api/v1/conversations/${c.id}/state`, { state: 'closed', disposition: 'resolved' })).statusCode, 200);
    dataverse.requests.length = 0;
    dataverse.failNext(1000, 429, 120); // the application user is throttled for two minutes
    await relay.app.relay.crm!.pump();
    // One batch (10 writes at once) may be out when the first 429 comes back; nothing after it.
    const throttled = dataverse.requests.filter((r) => r.status === 429).length;
    assert.ok(throttled > 0 && dataverse.requests.length <= 10, `${dataverse.requests.length} requests in one pass while throttled`);
    relay.clock.advance(60_000);
    await relay.app.relay.crm!.pump();
    assert.ok(dataverse.requests.length <= 10, 'still quiet a minute later');
    dataverse.failNext(0, 0);
    relay.clock.advance(61_000);
    await relay.app.relay.crm!.pump();
    assert.ok(dataverse.requests.filter((r) => r.status !== 429).length >= 25, 'after Retry-After every waiting activity is written');
  });
});
