/**
 * `npm run doctor` beside a running SQLite relay: docs/deploy.md says to run it on the production install "with the
 * service's environment loaded" — the same DATABASE_URL as the running relay. On SQLite the
 * doctor's store check opens the live file and must not release the relay's in-flight outbox leases:
 * the relay's worker would claim a send it is still handing to Twilio a second time, and the
 * customer could get the reply twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { checkStore } from '../../src/doctor/checks.ts';
import { closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';

describe('npm run doctor against a running SQLite relay', () => {
  let dir: string;
  let relay: TestRelay;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wcp-doctor-live-'));
    relay = await startRelay({ dbPath: join(dir, 'relay.db') });
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
    rmSync(dir, { recursive: true, force: true });
  });

  it("leaves the running relay's claimed (in-flight) sends alone", async () => {
    const agent = await relay.availableAgent('alice', 'Alice');
    const conversationId = await relay.activeConversation(agent, '+447700900123', 'Hi');
    const sent = await relay.api(agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, { body: 'On its way' });
    assert.equal(sent.statusCode, 202, sent.body);

    // The running relay's worker claims the reply (30 s lease) and is handing it to Twilio.
    const now = relay.clock.now();
    const claimed = await relay.store.claimOutbox(now, 10);
    assert.equal(claimed.length, 1);

    // The operator runs the doctor with the service's environment.
    const result = await checkStore(loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'relay.db')}` }));
    assert.equal(result.ok, true, result.detail);

    // A moment later the relay's worker claims again: the reply it is still sending must not come back.
    const again = await relay.store.claimOutbox(now + 1000, 10);
    assert.deepEqual(
      again.map((i) => i.messageId),
      [],
      'the doctor released a live lease: the same reply is claimed (and handed to Twilio) a second time',
    );
  });
});
