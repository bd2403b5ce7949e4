/**
 * `npm run doctor` with Dataverse settings, against a fake Entra token endpoint and Dataverse
 * Web API (real HTTP on 127.0.0.1): a granted token and the imported table pass; a wrong
 * secret and a missing solution each fail one line that says how to fix it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runDoctor } from '../../src/doctor/checks.ts';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_TENANT, startFakeDataverse, type FakeDataverse } from '../fakes/dataverse.ts';
import { startedRelayDatabase } from '../helpers/relay-database.ts';

describe('npm run doctor: Dataverse', () => {
  let dataverse: FakeDataverse;
  let dir: string;
  before(async () => {
    dataverse = await startFakeDataverse();
    dir = mkdtempSync(join(tmpdir(), 'doctor-dv-'));
    await startedRelayDatabase(dir);
  });
  after(async () => {
    await dataverse.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const doctor = async (overrides: Record<string, string> = {}) => {
    const lines: string[] = [];
    const code = await runDoctor(
      {
        DATABASE_URL: `sqlite:${join(dir, 'relay.db')}`,
        AUTH_MODE: 'dev',
        DATAVERSE_URL: dataverse.url,
        DATAVERSE_CLIENT_ID: FAKE_CLIENT_ID,
        DATAVERSE_CLIENT_SECRET: FAKE_CLIENT_SECRET,
        ENTRA_TENANT_ID: FAKE_TENANT,
        ENTRA_AUTHORITY_HOST: dataverse.url,
        ...overrides,
      },
      { write: (line) => lines.push(line) },
    );
    return { code, line: lines.find((l) => l.includes('Dataverse')) ?? '', lines };
  };

  it('passes with a granted token and the table imported', async () => {
    const { code, line, lines } = await doctor();
    assert.equal(code, 0, lines.join('\n'));
    assert.match(line, /^✓ .*wcp_whatsappconversation exists/);
  });

  it('names the credentials when Entra refuses the secret', async () => {
    const { code, line } = await doctor({ DATAVERSE_CLIENT_SECRET: 'not-the-secret' });
    assert.equal(code, 1);
    assert.match(line, /^✗ .*AADSTS7000215.*fix: check DATAVERSE_CLIENT_ID, DATAVERSE_CLIENT_SECRET/);
    assert.ok(!line.includes('not-the-secret'), 'the secret is never printed');
  });

  it('says to import the solution when the table is missing', async () => {
    dataverse.setTableImported(false);
    try {
      const { code, line } = await doctor();
      assert.equal(code, 1);
      assert.match(line, /^✗ .*404.*fix: import the WhatsApp panel solution/);
    } finally {
      dataverse.setTableImported(true);
    }
  });
});
