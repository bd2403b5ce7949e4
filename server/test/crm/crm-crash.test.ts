/**
 * The CRM record through a crash: the relay (a real process, simulator mode, SQLite) is
 * killed with -9 while its activity writes wait on a slow Dataverse, and started again on the
 * same file. Every accepted conversation still gets its activity, one each (an upsert by a
 * fixed key), and none is lost.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { mintDevToken } from '../../src/auth/tokens.ts';
import { activityIdOf } from '../../src/crm/activity.ts';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_TENANT, startFakeDataverse, type FakeDataverse } from '../fakes/dataverse.ts';
import { agentFetch, killHard, ResumableStream, spawnRelay, until, type RelayProcess } from '../helpers/processes.ts';

const SECRET = 'crm-crash-test-secret-that-is-long-enough-0123456789';
const CUSTOMERS = ['+447700900201', '+447700900202', '+447700900203', '+447700900204', '+447700900205'];

describe('the CRM record through kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wcp-crm-crash-'));
  let dataverse: FakeDataverse | undefined;
  let relay: RelayProcess | undefined;
  after(async () => {
    if (relay) await killHard(relay);
    await dataverse?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every accepted conversation once after a crash with writes in flight', async () => {
    dataverse = await startFakeDataverse();
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'relay.db')}`,
      AUTH_MODE: 'dev',
      AUTH_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      DATAVERSE_URL: dataverse.url,
      DATAVERSE_CLIENT_ID: FAKE_CLIENT_ID,
      DATAVERSE_CLIENT_SECRET: FAKE_CLIENT_SECRET,
      ENTRA_TENANT_ID: FAKE_TENANT,
      ENTRA_AUTHORITY_HOST: dataverse.url,
    };
    relay = spawnRelay(env);
    let base = await relay.listening;
    const token = await mintDevToken(SECRET, { id: 'alice', name: 'Alice', role: 'agent' });
    const api = agentFetch(() => base, token);
    assert.equal((await api('PUT', '/me/presence', { presence: 'available' })).status, 200);
    const stream = new ResumableStream(token);
    await stream.connect(base);

    // Dataverse answers slowly: the writes of the accepted conversations are in flight when the relay dies.
    dataverse.setLatency(3_000);
    const accepted: string[] = [];
    for (const from of CUSTOMERS) {
      const sent = await fetch(`${base}/simulator/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, body: 'hello' }) });
      assert.equal(sent.status, 202);
      const offer = await until(`the offer for ${from}`, 10_000, () => stream.events.find((e) => e.type === 'offer' && !accepted.includes(String(e.data.conversationId))));
      const id = String(offer.data.conversationId);
      assert.equal((await api('POST', `/conversations/${id}/accept`)).status, 200);
      accepted.push(id);
    }
    await until('a write in flight', 10_000, () => dataverse!.inFlight > 0);
    await killHard(relay);
    stream.close();

    dataverse.setLatency(0);
    relay = spawnRelay(env);
    base = await relay.listening;
    await until('every accepted conversation in Dataverse', 20_000, () => accepted.every((id) => dataverse!.activities.has(activityIdOf(id))));
    assert.equal(dataverse.activities.size, accepted.length, 'one activity per conversation');
    for (const id of accepted) assert.equal(dataverse.activities.get(activityIdOf(id))?.wcp_conversationid, id);
  });
});
