/** Review tests for the CRM sync (not part of the suite). */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { activityIdOf } from '../src/crm/activity.ts';
import { CrmWriter } from '../src/crm/crm-writer.ts';
import { DataverseClient } from '../src/crm/dataverse.ts';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_TENANT, startFakeDataverse, type FakeDataverse } from './fakes/dataverse.ts';
import { startRelay, type TestRelay } from './helpers/harness.ts';

const CONTACT = { entityType: 'contact', id: '7a1c4e2b-9d3f-4a6b-8c5d-1e2f3a4b5c6d', name: 'Maria Campbell' };

describe('review: CRM sync', () => {
  let dataverse: FakeDataverse;
  let relay: TestRelay;
  let token: string;

  before(async () => {
    dataverse = await startFakeDataverse();
  });
  after(() => dataverse.close());
  beforeEach(async () => {
    dataverse.activities.clear();
    dataverse.requests.length = 0;
    dataverse.failNext(0, 0);
    relay = await startRelay({
      env: {
        DATAVERSE_URL: dataverse.url,
        DATAVERSE_CLIENT_ID: FAKE_CLIENT_ID,
        DATAVERSE_CLIENT_SECRET: FAKE_CLIENT_SECRET,
        ENTRA_TENANT_ID: FAKE_TENANT,
        ENTRA_AUTHORITY_HOST: dataverse.url,
      },
    });
    token = await relay.availableAgent('alice', 'Alice Example');
  });
  afterEach(() => relay.close());
  const pump = () => relay.app.relay.crm!.pump();

  it('unlinking the conversation takes the activity off the old record\'s timeline', async () => {
    const id = await relay.activeConversation(token, '+447700900211', 'Hi');
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/link`, CONTACT)).statusCode, 200);
    await pump();
    const key = activityIdOf(id);
    assert.equal(dataverse.activities.get(key)?.[`regardingobjectid_contact_wcp_whatsappconversation@odata.bind`], `/contacts(${CONTACT.id})`);
    const unlinked = await relay.api(token, 'DELETE', `/api/v1/conversations/${id}/link`);
    assert.equal(unlinked.statusCode, 200);
    assert.equal(unlinked.json().linkedRecord, null);
    await pump();
    const last = dataverse.requests.at(-1)!;
    assert.equal(last.status, 204, 'the unlink was written');
    const stillBound = Object.keys(dataverse.activities.get(key)!).filter((k) => k.startsWith('regardingobjectid_'));
    assert.deepEqual(stillBound, [], `the relay's PATCH after the unlink carried no regarding change: ${JSON.stringify(last.body)}`);
  });

  it('a 429 with Retry-After pauses writing, instead of sending the next batches into the throttle', async () => {
    const sup = await relay.token('sup', 'Sup', { role: 'supervisor' });
    for (let i = 0; i < 25; i++) assert.equal((await relay.inbound({ From: `whatsapp:+4477009003${String(i).padStart(2, '0')}`, Body: 'Hi' })).statusCode, 200);
    const all = await relay.store.listConversations({ agentId: 'sup', supervisor: true }, null, relay.clock.now());
    for (const c of all) {
      const r = await relay.api(sup, 'PUT', `/api/v1/conversations/${c.id}/state`, { state: 'closed', disposition: 'resolved' });
      assert.equal(r.statusCode, 200, r.body);
    }
    dataverse.failNext(1000, 429, 120); // the app user is throttled for 2 minutes
    await pump();
    const statuses = dataverse.requests.map((r) => r.status);
    // One concurrent batch (10) may be in flight when the first 429 comes back; nothing after it should be sent.
    assert.ok(statuses.length <= 10, `${statuses.length} requests sent in one pass while throttled (Retry-After 120 s): ${statuses.join(',')}`);
  });

  it('a write that outlives its lease does not overwrite the closed record with the older, open state', async () => {
    const id = await relay.activeConversation(token, '+447700900411', 'Where is my parcel?');
    const key = activityIdOf(id);
    dataverse.setLatency(1500); // a slow Dataverse: instance A's PATCH (built from the open conversation) is in flight
    const a = relay.app.relay.crm!.pump();
    while (dataverse.inFlight === 0) await new Promise((r) => setTimeout(r, 10));
    relay.clock.advance(61_000); // A's lease (CRM_LEASE_MS) runs out while its PATCH is still in flight
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'wrapup' })).statusCode, 200);
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'closed', disposition: 'resolved', summary: 'Voucher given' })).statusCode, 200);
    dataverse.setLatency(0);
    const b = new CrmWriter(relay.store, new DataverseClient({ url: dataverse.url, tenantId: FAKE_TENANT, clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET, authorityHost: dataverse.url }), relay.clock, relay.app.log);
    await b.pump(); // instance B claims the expired lease and writes the closed conversation
    assert.equal(dataverse.activities.get(key)?.wcp_disposition, 'resolved');
    await a; // A's stale PATCH lands last
    const row = dataverse.activities.get(key)!;
    assert.deepEqual(
      { statecode: row.statecode, disposition: row.wcp_disposition, summary: row.wcp_summary },
      { statecode: 1, disposition: 'resolved', summary: 'Voucher given' },
      `PATCHes in arrival order: ${JSON.stringify(dataverse.requests.map((r) => ({ disposition: r.body.wcp_disposition, statecode: r.body.statecode })))}`,
    );
  });
});
