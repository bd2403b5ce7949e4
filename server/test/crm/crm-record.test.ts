/**
 * The CRM record: each conversation is one activity on the customer's timeline, written by
 * the relay (not the agent's browser) to a fake Dataverse that speaks the Web API. Created on
 * accept, updated on each change, completed with its transcript on close; regarding follows
 * the linked record; retried through throttling and outages, a refused token renewed once, a
 * missing role kept as a failure supervisors can read.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { activityIdOf, activityRow, activityWrites, TRANSCRIPT_MAX, transcriptOf } from '../../src/crm/activity.ts';
import { CrmWriter } from '../../src/crm/crm-writer.ts';
import { DataverseClient } from '../../src/crm/dataverse.ts';
import { CRM_LEASE_MS } from '../../src/usecases/crm-sync.ts';
import type { MessageRow } from '../../src/store/port.ts';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_TENANT, startFakeDataverse, type FakeDataverse } from '../fakes/dataverse.ts';
import { startRelay, type TestRelay } from '../helpers/harness.ts';

const CONTACT = { entityType: 'contact', id: '7a1c4e2b-9d3f-4a6b-8c5d-1e2f3a4b5c6d', name: 'Maria Campbell' };

describe('the CRM record', () => {
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
    dataverse.denyPrivilege(false);
    dataverse.deletedRecords.clear();
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
  const close = async (id: string) => {
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'wrapup' })).statusCode, 200);
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'closed', disposition: 'resolved', summary: 'Voucher given' })).statusCode, 200);
  };

  it('creates the activity on accept, links it, and completes it with the transcript on close', async () => {
    const id = await relay.activeConversation(token, '+447700900111', 'Hello, my parcel is late');
    await pump();
    const key = activityIdOf(id);
    const created = dataverse.activities.get(key);
    assert.ok(created, 'no activity after accept');
    assert.equal(created.wcp_conversationid, id);
    assert.equal(created.wcp_customerphone, '+447700900111');
    assert.equal(created.wcp_agentname, 'Alice Example');
    assert.equal(created.statecode, undefined, 'an open conversation is not completed');

    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/link`, CONTACT)).statusCode, 200);
    assert.equal((await relay.api(token, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'Sorry! It ships today.' })).statusCode, 202);
    await relay.api(token, 'POST', `/api/v1/conversations/${id}/notes`, { body: 'Gave a voucher' });
    await close(id);
    await pump();

    const done = dataverse.activities.get(key)!;
    assert.equal(dataverse.activities.size, 1, 'one record per conversation');
    assert.equal(done.statecode, 1);
    assert.equal(done.statuscode, 2);
    assert.ok(done.actualend);
    assert.equal(done[`regardingobjectid_contact_wcp_whatsappconversation@odata.bind`], `/contacts(${CONTACT.id})`);
    const transcript = String(done.wcp_transcript);
    assert.match(transcript, /Customer: Hello, my parcel is late/);
    assert.match(transcript, /Alice Example: Sorry! It ships today\./);
    assert.match(transcript, /Alice Example \(internal note\): Gave a voucher/);
    assert.equal(done.wcp_messagecount, 2);
    assert.equal(done.wcp_disposition, 'resolved');
    assert.equal(done.wcp_summary, 'Voucher given');
    assert.equal(done.wcp_queue, 'general');
    assert.deepEqual(await relay.store.listFailedCrmWrites(10), []);
  });

  it('names in the transcript the agent who wrote each reply, when the conversation was transferred', async () => {
    const bob = await relay.availableAgent('bob', 'Bob Builder');
    const id = await relay.activeConversation(token, '+447700900115', 'My card was charged twice');
    assert.equal((await relay.api(token, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'Let me pass you to billing.' })).statusCode, 202);
    assert.equal((await relay.api(token, 'POST', `/api/v1/conversations/${id}/transfer`, { agentId: 'bob' })).statusCode, 202);
    assert.equal((await relay.api(bob, 'POST', `/api/v1/conversations/${id}/accept`)).statusCode, 200);
    assert.equal((await relay.api(bob, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'Refunded the second charge.' })).statusCode, 202);
    assert.equal((await relay.api(bob, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'wrapup' })).statusCode, 200);
    assert.equal((await relay.api(bob, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'closed', disposition: 'resolved' })).statusCode, 200);
    await pump();
    const done = dataverse.activities.get(activityIdOf(id))!;
    assert.equal(done.wcp_agentname, 'Bob Builder', 'the agent who closed it');
    const transcript = String(done.wcp_transcript);
    assert.match(transcript, /Alice Example: Let me pass you to billing\./, "Alice's reply is hers");
    assert.match(transcript, /Bob Builder: Refunded the second charge\./);
  });

  it('marks in the transcript a reply that never reached the customer', async () => {
    const id = await relay.activeConversation(token, '+447700900118', 'Can I get a refund?');
    assert.equal((await relay.api(token, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'Yes, refunded today.' })).statusCode, 202);
    await relay.app.relay.outbox.drain();
    const sid = relay.twilio.sent.at(-1)!.sid;
    assert.equal((await relay.status({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '63024', AccountSid: relay.twilio.accountSid })).statusCode, 200);
    assert.equal((await relay.api(token, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'Anything else?' })).statusCode, 202);
    await close(id);
    await pump();
    const transcript = String(dataverse.activities.get(activityIdOf(id))!.wcp_transcript);
    assert.match(transcript, /Alice Example: Yes, refunded today\. \[not delivered\]$/m, 'the record must not say the customer was told');
    assert.match(transcript, /Alice Example: Anything else\?$/m);
  });

  it('marks a reply not delivered when WhatsApp says so only after the conversation closed', async () => {
    const id = await relay.activeConversation(token, '+447700900120', 'Can I change my delivery address?');
    assert.equal((await relay.api(token, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'Done, it goes to your office.' })).statusCode, 202);
    await relay.app.relay.outbox.drain();
    await close(id);
    await pump();
    const transcript = () => String(dataverse.activities.get(activityIdOf(id))!.wcp_transcript);
    assert.match(transcript(), /Alice Example: Done, it goes to your office\.$/m);
    // The status callback comes late: the customer's phone was off.
    const sid = relay.twilio.sent.at(-1)!.sid;
    const sentBefore = dataverse.requests.length;
    assert.equal((await relay.status({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '63024', AccountSid: relay.twilio.accountSid })).statusCode, 200);
    await pump();
    assert.match(transcript(), /Alice Example: Done, it goes to your office\. \[not delivered\]$/m, 'the record must not say the customer was told');
    assert.equal(dataverse.activities.get(activityIdOf(id))!.statecode, 1, 'still completed');
    // A completed activity is read-only: set back to open, updated, completed again.
    assert.deepEqual(
      dataverse.requests.slice(sentBefore).map((r) => [r.status, r.body.statecode ?? 'columns']),
      [[400, 'columns'], [204, 0], [204, 'columns'], [204, 1]],
    );
    assert.deepEqual(await relay.store.listFailedCrmWrites(10), []);
  });

  it('re-writes a completed activity whose linked contact was deleted in the CRM since', async () => {
    const id = await relay.activeConversation(token, '+447700900121', 'Where do I send the return?');
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/link`, CONTACT)).statusCode, 200);
    assert.equal((await relay.api(token, 'POST', `/api/v1/conversations/${id}/messages`, { body: 'To our Leeds depot.' })).statusCode, 202);
    await relay.app.relay.outbox.drain();
    await close(id);
    await pump();
    dataverse.deleteRecord(CONTACT.id);
    assert.equal((await relay.status({ MessageSid: relay.twilio.sent.at(-1)!.sid, MessageStatus: 'failed', ErrorCode: '63024', AccountSid: relay.twilio.accountSid })).statusCode, 200);
    await pump();
    const row = dataverse.activities.get(activityIdOf(id))!;
    assert.match(String(row.wcp_transcript), /Alice Example: To our Leeds depot\. \[not delivered\]$/m);
    assert.equal(row.statecode, 1);
    assert.deepEqual(Object.keys(row).filter((k) => k.startsWith('regardingobjectid')), []);
    assert.deepEqual(await relay.store.listFailedCrmWrites(10), []);
  });

  it('(the fake) refuses to update a completed activity, as Dataverse does, until it is set back to open', async () => {
    const client = new DataverseClient({ url: dataverse.url, tenantId: FAKE_TENANT, clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET, authorityHost: dataverse.url });
    const key = activityIdOf('cv_fake_readonly');
    const patch = (row: Record<string, unknown>) => client.upsert('wcp_whatsappconversations', key, row);
    assert.deepEqual(await patch({ subject: 'WhatsApp conversation' }), { kind: 'done' });
    assert.deepEqual(await patch({ statecode: 1, statuscode: 2 }), { kind: 'done' });
    assert.deepEqual(await patch({ subject: 'Changed' }), { kind: 'failed', error: 'Dataverse 400: The object cannot be updated because it is read-only.', code: '0x8004022e' });
    assert.deepEqual(await patch({ statecode: 0, statuscode: 1 }), { kind: 'done' });
    assert.deepEqual(await patch({ subject: 'Changed' }), { kind: 'done' });
    assert.equal(dataverse.activities.get(key)!.subject, 'Changed');
  });

  it('ends the activity when the conversation closed, whatever touches the conversation after', async () => {
    const id = await relay.activeConversation(token, '+447700900119', 'Is my order on its way?');
    relay.clock.advance(5 * 60_000);
    await close(id);
    const closedAt = new Date(relay.clock.now()).toISOString();
    await pump();
    assert.equal(dataverse.activities.get(activityIdOf(id))!.actualend, closedAt);
    // An hour later the agent links the customer's contact: the activity moves onto the contact's timeline …
    relay.clock.advance(60 * 60_000);
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/link`, CONTACT)).statusCode, 200);
    await pump();
    const row = dataverse.activities.get(activityIdOf(id))!;
    assert.equal(row[`regardingobjectid_contact_wcp_whatsappconversation@odata.bind`], `/contacts(${CONTACT.id})`);
    // … and still ends when the conversation closed.
    assert.equal(row.actualend, closedAt);
  });

  it('takes the activity off the record the agent unlinked, and onto the one linked next', async () => {
    const id = await relay.activeConversation(token, '+447700900112', 'Hi');
    const key = activityIdOf(id);
    const regarding = () => Object.entries(dataverse.activities.get(key)!).filter(([k]) => k.startsWith('regardingobjectid'));
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/link`, CONTACT)).statusCode, 200);
    await pump();
    assert.deepEqual(regarding(), [['regardingobjectid_contact_wcp_whatsappconversation@odata.bind', `/contacts(${CONTACT.id})`]]);
    assert.equal((await relay.api(token, 'DELETE', `/api/v1/conversations/${id}/link`)).statusCode, 200);
    await pump();
    assert.deepEqual(regarding(), [], "off the old record's timeline");
    const account = { entityType: 'account', id: '0b6f8a3c-2d4e-4f5a-9b8c-7d6e5f4a3b2c', name: 'Campbell Ltd' };
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/link`, account)).statusCode, 200);
    await pump();
    assert.deepEqual(regarding(), [['regardingobjectid_account_wcp_whatsappconversation@odata.bind', `/accounts(${account.id})`]]);
  });

  it('takes a closed conversation’s completed activity off the contact the agent unlinks after the close', async () => {
    const id = await relay.activeConversation(token, '+447700900122', 'Thanks, all sorted');
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/link`, CONTACT)).statusCode, 200);
    await close(id);
    await pump();
    assert.equal((await relay.api(token, 'DELETE', `/api/v1/conversations/${id}/link`)).statusCode, 200);
    await pump();
    const row = dataverse.activities.get(activityIdOf(id))!;
    assert.deepEqual(Object.keys(row).filter((k) => k.startsWith('regardingobjectid')), [], "off the contact's timeline");
    assert.equal(row.statecode, 1);
    assert.deepEqual(await relay.store.listFailedCrmWrites(10), []);
  });

  it('still writes the activity and its transcript, regarding nothing, when the linked record was deleted in the CRM', async () => {
    const id = await relay.activeConversation(token, '+447700900116', 'Please update my address');
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/link`, CONTACT)).statusCode, 200);
    dataverse.deleteRecord(CONTACT.id); // someone merged or deleted the contact in the CRM meanwhile
    await close(id);
    await pump();
    const done = dataverse.activities.get(activityIdOf(id));
    assert.ok(done, 'the conversation is in the CRM');
    assert.match(String(done.wcp_transcript), /Customer: Please update my address/);
    assert.equal(done.statecode, 1);
    assert.deepEqual(Object.keys(done).filter((k) => k.startsWith('regardingobjectid')), []);
    assert.deepEqual(await relay.store.listFailedCrmWrites(10), []);
  });

  it('writes the activity regarding nothing when the linked record has an id Dataverse cannot key (the API takes any id)', async () => {
    const id = await relay.activeConversation(token, '+447700900117', 'Where is case 42?');
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/link`, { entityType: 'incident', id: 'case-42', name: 'Tracking broken' })).statusCode, 200);
    await close(id);
    await pump();
    const done = dataverse.activities.get(activityIdOf(id));
    assert.ok(done, 'the conversation is in the CRM');
    assert.match(String(done.wcp_transcript), /Customer: Where is case 42\?/);
    assert.equal(done.statecode, 1);
    assert.deepEqual(Object.keys(done).filter((k) => k.startsWith('regardingobjectid')), []);
    assert.deepEqual(await relay.store.listFailedCrmWrites(10), [], 'no write kept as failed');
  });

  it('writes the activity of a customer whose WhatsApp profile name is longer than the subject column', async () => {
    const profileName = `Maria Campbell ✨ ${'Campbell & Daughters Fine Teas '.repeat(6)}`;
    assert.equal((await relay.inbound({ From: 'whatsapp:+447700900117', Body: 'Hi', ProfileName: profileName })).statusCode, 200);
    await relay.app.relay.router.kick();
    const offered = (await relay.api(token, 'GET', '/api/v1/conversations?state=open')).json().items as { id: string; customer: { phone: string } }[];
    const id = offered.find((c) => c.customer.phone === '+447700900117')!.id;
    assert.equal((await relay.api(token, 'POST', `/api/v1/conversations/${id}/accept`)).statusCode, 200);
    await pump();
    const row = dataverse.activities.get(activityIdOf(id));
    assert.ok(row, `not written: ${(await relay.store.listFailedCrmWrites(10))[0]?.lastError}`);
    assert.ok(String(row.subject).startsWith('WhatsApp conversation with Maria Campbell ✨'));
    assert.ok(String(row.wcp_profilename).startsWith('Maria Campbell ✨'));
  });

  it('ends with the conversation as it is, when a slow write outlived its lease and landed after the newer one', async () => {
    const id = await relay.activeConversation(token, '+447700900113', 'Where is my parcel?');
    const key = activityIdOf(id);
    dataverse.setLatency(1500); // this instance's PATCH, built from the open conversation, is in flight …
    const slow = pump();
    while (dataverse.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    relay.clock.advance(CRM_LEASE_MS + 1000); // … past its lease
    await close(id);
    dataverse.setLatency(0);
    // Another instance takes the lapsed write over and writes the closed conversation.
    const other = new CrmWriter(relay.store, new DataverseClient({ url: dataverse.url, tenantId: FAKE_TENANT, clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET, authorityHost: dataverse.url }), relay.clock, relay.app.log);
    await other.pump();
    assert.equal(dataverse.activities.get(key)?.wcp_disposition, 'resolved');
    await slow; // the stale, open state lands last …
    await pump(); // … and the writer that sent it writes the conversation once more
    const row = dataverse.activities.get(key)!;
    assert.deepEqual({ statecode: row.statecode, disposition: row.wcp_disposition, summary: row.wcp_summary }, { statecode: 1, disposition: 'resolved', summary: 'Voucher given' });
  });

  it('waits out throttling (Retry-After) and outages, then writes once', async () => {
    const id = await relay.activeConversation(token, '+447700900112');
    dataverse.failNext(1, 429, 30);
    await pump();
    assert.equal(dataverse.activities.size, 0);
    await pump();
    assert.equal(dataverse.requests.length, 1, 'no retry before Retry-After');
    relay.clock.advance(31_000);
    dataverse.failNext(1, 503);
    await pump();
    assert.equal(dataverse.activities.size, 0);
    relay.clock.advance(2_000);
    await pump();
    assert.ok(dataverse.activities.get(activityIdOf(id)));
    assert.deepEqual(
      dataverse.requests.map((r) => r.status),
      [429, 503, 204],
    );
  });

  it('renews a token Dataverse refuses, once', async () => {
    await relay.activeConversation(token, '+447700900113');
    await pump();
    const issued = dataverse.tokensIssued;
    dataverse.expireTokens();
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${(await relay.store.listConversations({ agentId: 'alice', supervisor: false }, null, relay.clock.now()))[0]!.id}/state`, { state: 'waiting' })).statusCode, 200);
    await pump();
    assert.equal(dataverse.tokensIssued, issued + 1);
    assert.equal(dataverse.requests.at(-1)?.status, 204);
  });

  it('keeps a write that cannot succeed (no security role) with an error naming the fix, and does not retry it', async () => {
    dataverse.denyPrivilege(true);
    const id = await relay.activeConversation(token, '+447700900114');
    await pump();
    relay.clock.advance(10 * 60_000);
    await pump();
    assert.equal(dataverse.requests.length, 1, 'a 403 is not retried');
    const [failed] = await relay.store.listFailedCrmWrites(10);
    assert.equal(failed?.conversationId, id);
    assert.match(failed!.lastError!, /security role/);
    // A later change to the conversation tries again (the admin may have granted the role).
    dataverse.denyPrivilege(false);
    assert.equal((await relay.api(token, 'PUT', `/api/v1/conversations/${id}/state`, { state: 'waiting' })).statusCode, 200);
    await pump();
    assert.ok(dataverse.activities.get(activityIdOf(id)));
  });
});

describe('the activity row', () => {
  const message = (i: number, body: string): MessageRow =>
    ({ id: `m${i}`, conversationId: 'cv', direction: i % 2 ? 'outbound' : 'inbound', body, media: [], sentiment: null, createdAt: Date.UTC(2026, 0, 1, 10, i) }) as unknown as MessageRow;

  it('has one fixed key per conversation', () => {
    assert.equal(activityIdOf('cv_1'), activityIdOf('cv_1'));
    assert.notEqual(activityIdOf('cv_1'), activityIdOf('cv_2'));
    assert.match(activityIdOf('cv_1'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('cuts a transcript over the column limit with a marker', () => {
    const long = Array.from({ length: 1200 }, (_, i) => message(i, 'x'.repeat(1000)));
    const transcript = transcriptOf(long, [], new Map([['alice', 'Alice']]));
    assert.equal(transcript.length, TRANSCRIPT_MAX);
    assert.match(transcript, /transcript cut at the CRM column limit/);
  });

  it('never cuts a character in two at the transcript limit', () => {
    // Emoji are two UTF-16 units: a cut between them would leave half a character (shown as �).
    for (let shift = 0; shift < 4; shift++) {
      const long = Array.from({ length: 600 }, (_, i) => message(i, `${'x'.repeat(shift)}${'😀'.repeat(1000)}`));
      const transcript = transcriptOf(long, [], new Map());
      assert.ok(transcript.length <= TRANSCRIPT_MAX);
      assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(transcript), 'half a character');
    }
  });

  it('sends only columns the solution defines: settable on create first, the completed state as an update after', () => {
    const table = JSON.parse(readFileSync(new URL('../../../pcf/solution/wcp_whatsappconversation.columns.json', import.meta.url), 'utf8')) as {
      columns: { logicalName: string; validForCreate: boolean; validForUpdate: boolean }[];
      regardingNavigationProperties: Record<string, string>;
    };
    const columns = new Map(table.columns.map((c) => [c.logicalName, c]));
    const binds = new Set(Object.values(table.regardingNavigationProperties).map((p) => `${p}@odata.bind`));
    for (const entityType of ['contact', 'account', 'incident']) {
      const [create, complete] = activityWrites({
        conversation: {
          id: 'cv',
          state: 'closed',
          customerPhone: '+15550001',
          profileName: 'Ana',
          linkedRecord: { entityType, id: CONTACT.id, name: 'x' },
          queueId: 'general',
          disposition: 'resolved',
          summary: 'Sorted',
          createdAt: 0,
          updatedAt: 1,
        } as never,
        messages: [message(0, 'hi')],
        notes: [],
        agentName: 'Alice',
        senders: new Map(),
      });
      for (const key of Object.keys(create!)) assert.ok(binds.has(key) || columns.get(key)?.validForCreate, `${key} cannot be set on create`);
      assert.ok(Object.keys(create!).some((k) => binds.has(k)), `no regarding for a ${entityType}`);
      assert.deepEqual(complete, { statecode: 1, statuscode: 2 });
      for (const key of Object.keys(complete!)) assert.ok(columns.get(key)?.validForUpdate, `${key} cannot be updated`);
    }
  });

  it('writes regarding nothing when the conversation is not linked, with the customer number', () => {
    const row = activityRow({
      conversation: { id: 'cv', state: 'active', customerPhone: '+15550001', profileName: null, linkedRecord: null, createdAt: 0, updatedAt: 0 } as never,
      messages: [],
      notes: [],
      agentName: null,
      senders: new Map(),
    });
    assert.equal(row.wcp_customerphone, '+15550001');
    // A PATCH changes only what it names: the lookup is emptied explicitly (a null bind disassociates).
    assert.deepEqual(
      Object.entries(row).filter(([k]) => k.startsWith('regardingobjectid')),
      [['regardingobjectid_contact_wcp_whatsappconversation@odata.bind', null]],
    );
  });
});
