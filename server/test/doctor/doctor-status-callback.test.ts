/**
 * `npm run doctor` on the README's set-up: its admin step 2 says to set only the sender's
 * incoming-message webhook — "Status callbacks are requested per message
 * (<PUBLIC_URL>/twilio/status), nothing to configure" — and the relay does ask for its status
 * callback on every send. An installation set up exactly that way works, and the doctor passes it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runDoctor } from '../../src/doctor/checks.ts';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, fakeSender, setupFakeTwilio } from '../fakes/twilio-api.ts';
import { startedRelayDatabase } from '../helpers/relay-database.ts';

const PUBLIC_URL = 'https://relay.example.com';
const FROM = '+14155550100';
const { server, twilio } = setupFakeTwilio();

describe('npm run doctor on a README set-up', () => {
  let dir: string;
  before(async () => {
    server.listen({ onUnhandledRequest: 'error' });
    dir = mkdtempSync(join(tmpdir(), 'wcp-doctor-status-'));
    await startedRelayDatabase(dir);
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes a sender whose incoming webhook is <PUBLIC_URL>/twilio/inbound and whose status callback is left unset', async () => {
    twilio.senders = [fakeSender(`whatsapp:${FROM}`, `${PUBLIC_URL}/twilio/inbound`, null)];
    const lines: string[] = [];
    const code = await runDoctor(
      {
        DATABASE_URL: `sqlite:${join(dir, 'relay.db')}`,
        PUBLIC_URL,
        TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: FAKE_AUTH_TOKEN,
        TWILIO_WHATSAPP_FROM: `whatsapp:${FROM}`,
        AUTH_MODE: 'dev',
        AUTH_SECRET: 'x'.repeat(40),
        INSECURE_DEV_AUTH_WITH_TWILIO: 'true',
      },
      { write: (l) => lines.push(l) },
    );
    assert.equal(code, 0, lines.join('\n'));
  });
});
