/**
 * Issue 14: "nothing lost or doubled across a relay restart in the middle of a transfer".
 * The relay runs as production does (server/dist) and is killed with SIGKILL twice: once while
 * a transfer request is in flight, once after it was answered but before the target accepted.
 * Each time the conversation comes back whole — one holder or one pending offer, never both or
 * neither; every message and note once; the transferring agent's note still on the offer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentApi, simulatorApi, sleep, type ApiConversation } from './support/api.ts';
import { ensureBuilt, removeDir, startRelay, tempDataDir, type RelayProcess } from './support/relay.ts';

const NUMBER = '+34612345678';

interface TeamConversation extends ApiConversation {
  offer: { agentId: string; expiresAt: string } | null;
}

/** Calls the agent API and returns the status and JSON (or null), whatever the status. */
async function call(base: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : null };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('a relay restart in the middle of a transfer', () => {
  const dataDir = tempDataDir();
  let relay: RelayProcess;

  before(async () => {
    ensureBuilt();
    relay = await startRelay({ dataDir });
  });

  after(async () => {
    await relay?.stop();
    removeDir(dataDir);
  });

  /** Same port, same database: the agents' tokens and the panel's addresses stay good. */
  async function crashAndRestart() {
    await relay.kill();
    relay = await startRelay({ dataDir, port: relay.port });
  }

  it('loses and doubles nothing, whether the relay dies during the transfer or before the target accepts', async () => {
    const alex = await agentApi(relay.base, 'agent-1');
    const sam = await agentApi(relay.base, 'agent-2');
    const supervisor = await agentApi(relay.base, 'supervisor');
    await sam.setPresence('offline');
    await alex.setPresence('available');

    await simulatorApi(relay.base).customerSays(NUMBER, 'Lucía', 'My parcel never arrived.');
    const offered = await until('the offer to Alex', async () => (await alex.conversations()).find((c) => c.customer.phone === NUMBER));
    await alex.accept(offered.id);
    const id = offered.id;
    assert.equal((await call(relay.base, alex.token, 'POST', `/conversations/${id}/messages`, { body: 'Let me check with the courier.' })).status < 300, true);
    assert.equal((await call(relay.base, alex.token, 'POST', `/conversations/${id}/notes`, { body: 'Courier ref CX-44' })).status < 300, true);
    await sam.setPresence('available');

    // 1. Killed while the transfer request is in flight: it either committed or it did not.
    const inFlight = call(relay.base, alex.token, 'POST', `/conversations/${id}/transfer`, { agentId: 'agent-2', note: 'Sam handles courier claims' }).catch(() => null);
    await crashAndRestart();
    await inFlight;
    let c = (await call(relay.base, supervisor.token, 'GET', `/conversations/${id}`)).json as TeamConversation;
    if (c.assignedAgentId === 'agent-1') {
      assert.equal(c.offer, null, 'not transferred: Alex still holds it, and no one else is offered it');
      const again = await call(relay.base, alex.token, 'POST', `/conversations/${id}/transfer`, { agentId: 'agent-2', note: 'Sam handles courier claims' });
      assert.equal(again.status, 202, JSON.stringify(again.json));
    } else {
      assert.equal(c.assignedAgentId, null, 'transferred: held by no one until Sam accepts');
    }
    c = (await call(relay.base, supervisor.token, 'GET', `/conversations/${id}`)).json as TeamConversation;
    assert.equal(c.offer?.agentId, 'agent-2');
    assert.equal((await call(relay.base, alex.token, 'GET', `/conversations/${id}`)).status, 404, 'Alex no longer sees it');

    // 2. Killed after the transfer was answered, before Sam accepted: the offer and its note survive.
    await crashAndRestart();
    const events = await fetch(`${relay.base}/api/v1/events`, { headers: { authorization: `Bearer ${sam.token}`, 'last-event-id': '0' } });
    const reader = events.body!.getReader();
    let stream = '';
    await until('the transfer offer on Sam\'s stream', async () => {
      const { value } = await reader.read();
      stream += new TextDecoder().decode(value);
      return stream.includes('Sam handles courier claims') && stream.includes('"fromAgentName":"Alex Morgan"');
    });
    await reader.cancel();

    const accepted = (await call(relay.base, sam.token, 'POST', `/conversations/${id}/accept`)).json as TeamConversation;
    assert.equal(accepted.assignedAgentId, 'agent-2');
    const messages = await sam.messages(id);
    assert.deepEqual(
      messages.map((m) => m.body),
      ['My parcel never arrived.', 'Let me check with the courier.'],
      'the transcript travels, each message once',
    );
    const notes = (await call(relay.base, sam.token, 'GET', `/conversations/${id}/notes`)).json as { items: { body: string }[] };
    // The transfer's note is kept with them: once, however the transfer was asked again across the restart.
    assert.deepEqual(notes.items.map((n) => n.body), ['Courier ref CX-44', 'Sam handles courier claims'], 'the notes travel, once');
    const open = (await supervisor.conversations()).filter((x) => x.customer.phone === NUMBER && x.state !== 'closed');
    assert.equal(open.length, 1, 'still one conversation with Lucía');
  });
});
