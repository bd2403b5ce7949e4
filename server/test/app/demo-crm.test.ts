/**
 * The demo's CRM record: a simulator-mode relay in dev auth mounts the fake Dataverse Web API
 * and token endpoint under /demo/… and its real CRM writer writes there (over HTTP, client
 * credentials); the demo page reads the contact's timeline from it with the agent's token.
 * Nothing of it exists with a Twilio account, in Entra auth, or with DATAVERSE_URL set.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type App } from '../../src/app.ts';
import { devTokenVerifier, mintDevToken } from '../../src/auth/tokens.ts';
import { InProcessBus } from '../../src/bus/in-process.ts';
import { loadConfig } from '../../src/config.ts';
import { ManualClock, OffsetClock } from '../../src/domain/clock.ts';
import { seedLibrary } from '../../src/services/seed.ts';
import { Simulator } from '../../src/simulator/simulator.ts';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { activityIdOf } from '../../src/crm/activity.ts';
import { closeFakeTwilio, SECRET, startRelay } from '../helpers/harness.ts';

const MARIA = '774a2792-3157-535d-8b50-b808a449a3d0';
const TIMELINE = '/demo/dataverse/api/data/v9.2/wcp_whatsappconversations';

async function simulatorRelay(env: Record<string, string> = {}) {
  const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', AUTH_SECRET: SECRET, ...env });
  const store = new SqliteStore(':memory:');
  await store.migrate();
  await seedLibrary(store);
  const clock = new OffsetClock(new ManualClock(Date.parse('2026-06-01T08:00:00Z')));
  const simulator = new Simulator({ store, clock, config, webhookAuthToken: 'sim' });
  const app = await buildApp({
    config,
    store,
    bus: new InProcessBus(),
    clock,
    verifyToken: devTokenVerifier(SECRET),
    mintToken: (agent) => mintDevToken(SECRET, agent),
    webhookAuthToken: 'sim',
    simulator,
    transport: simulator.transport,
    logger: false,
    startWorkers: false,
  });
  simulator.attach(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, close: async () => (await app.close(), await store.close()) };
}

describe('the demo CRM (simulator mode, dev auth, no DATAVERSE_URL)', () => {
  let app: App;
  let close: () => Promise<void>;
  let token: string;
  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const r = await app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    assert.ok(r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  const timeline = (filter: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
    app.inject({ method: 'GET', url: `${TIMELINE}?$select=subject,statecode,wcp_disposition,wcp_transcript,actualstart,actualend&$filter=${encodeURIComponent(filter)}&$orderby=actualstart desc`, headers: { prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"', ...headers } });

  before(async () => {
    ({ app, close } = await simulatorRelay());
    token = (await app.inject({ method: 'GET', url: '/demo/config?agent=agent-1' })).json().token;
  });
  after(async () => {
    await close();
    closeFakeTwilio();
  });

  it('tells the page where the fake Web API is', async () => {
    const config = (await app.inject({ method: 'GET', url: '/demo/config', headers: { host: '127.0.0.1:3000' } })).json();
    assert.equal(config.dataverseUrl, 'http://127.0.0.1:3000/demo/dataverse');
  });

  it("the relay's CRM writer puts the closed conversation on the contact's timeline, transcript and disposition included", async () => {
    await api('PUT', '/me/presence', { presence: 'available' });
    const sent = await app.inject({ method: 'POST', url: '/simulator/api/messages', payload: { from: '+14155550100', profileName: 'Maria', body: 'My parcel <b>arrived</b> damaged' } });
    assert.equal(sent.statusCode, 202);
    await app.relay.router.kick();
    const [offer] = (await api('GET', '/conversations?state=open')).items as { id: string }[];
    assert.ok(offer, 'the conversation was offered');
    await api('POST', `/conversations/${offer.id}/accept`);
    await api('PUT', `/conversations/${offer.id}/link`, { entityType: 'contact', id: MARIA, name: 'Maria Campbell' });
    await api('POST', `/conversations/${offer.id}/messages`, { body: 'Sorry to hear that, a replacement is on its way.' });
    await app.relay.crm!.pump();

    const open = (await timeline(`_regardingobjectid_value eq ${MARIA}`)).json().value;
    assert.equal(open.length, 1);
    assert.equal(open[0].statecode, 0);
    assert.equal(open[0]['statecode@OData.Community.Display.V1.FormattedValue'], 'Open');
    assert.equal(open[0].activityid, activityIdOf(offer.id));

    await api('PUT', `/conversations/${offer.id}/state`, { state: 'wrapup' });
    await api('PUT', `/conversations/${offer.id}/state`, { state: 'closed', disposition: 'resolved', summary: 'Replacement sent' });
    await app.relay.crm!.pump();

    const response = await timeline(`(_regardingobjectid_value eq ${MARIA} or wcp_customerphone eq '+14155550100')`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['odata-version'], '4.0');
    const [row] = response.json().value;
    assert.equal(row.subject, 'WhatsApp conversation with Maria');
    assert.equal(row.statecode, 1);
    assert.equal(row['statecode@OData.Community.Display.V1.FormattedValue'], 'Completed');
    assert.equal(row.wcp_disposition, 'resolved');
    assert.ok(row.actualend, 'an end time');
    assert.match(row.wcp_transcript, /Customer: My parcel <b>arrived<\/b> damaged\n.*Alex Morgan: Sorry to hear that/);
    assert.ok(row['@odata.etag'].startsWith('W/"'));
    assert.equal(row.wcp_customerphone, undefined, 'only the columns asked for');
  });

  it('answers only a signed-in reader, and a bad query as the Web API does', async () => {
    assert.equal((await timeline(`wcp_customerphone eq '+1'`, {})).statusCode, 401);
    assert.equal((await timeline(`wcp_customerphone eq '+1'`, { authorization: 'Bearer not-a-token' })).statusCode, 401);
    const bad = await timeline(`contains(wcp_customerphone,'+1')`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /\$filter/);
  });

  it('takes writes only with a token its own Entra endpoint issued', async () => {
    const r = await app.inject({ method: 'PATCH', url: `/demo/dataverse/api/data/v9.2/wcp_whatsappconversations(${activityIdOf('x')})`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{"subject":"forged"}' });
    assert.equal(r.statusCode, 401);
  });
});

describe('the demo CRM is not there', () => {
  const absent = async (app: App) => {
    assert.equal((await app.inject({ method: 'GET', url: `${TIMELINE}?$filter=wcp_customerphone eq '+1'` })).statusCode, 404);
    assert.equal((await app.inject({ method: 'POST', url: '/demo/entra/x/oauth2/v2.0/token', payload: 'grant_type=client_credentials' })).statusCode, 404);
  };

  it('with a Twilio account (production, the bench), even in dev auth', async () => {
    const relay = await startRelay();
    try {
      await absent(relay.app);
      assert.equal(relay.app.relay.crm, null, 'no CRM writer without DATAVERSE_URL');
    } finally {
      await relay.close();
    }
  });

  it('in Entra auth', async () => {
    const { app, close } = await simulatorRelay({ AUTH_MODE: 'entra', ENTRA_TENANT_ID: '8b7e1c2a-1111-2222-3333-444455556666', ENTRA_AUDIENCE: 'api://relay', ENTRA_CLIENT_ID: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' });
    try {
      await absent(app);
    } finally {
      await close();
    }
  });

  it('with DATAVERSE_URL set: the writer goes to the real org', async () => {
    const { app, close } = await simulatorRelay({
      DATAVERSE_URL: 'https://contoso.crm.dynamics.com',
      DATAVERSE_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      DATAVERSE_CLIENT_SECRET: 'secret',
      ENTRA_TENANT_ID: '0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f',
    });
    try {
      await absent(app);
      assert.ok(app.relay.crm, 'the CRM writer runs');
    } finally {
      await close();
    }
  });
});
