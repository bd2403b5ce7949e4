/** Simulator mode end to end through the real signed webhook routes. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WINDOW_EXPIRED_MESSAGE } from '@wcp/protocol';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

async function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${err}`)), 20_000);
    child.stdout.on('data', () => {
      const line = out.split('\n').find((l) => l.startsWith('{"event":"listening"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).address);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return { child, address, output: () => out, errors: () => err };
}

describe('npm start in simulator mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wcp-sim-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves health, routes a simulated customer to the agent, delivers, reads, and enforces the window', async () => {
    const { child, address, output, errors } = await startProcess({ DATABASE_URL: `sqlite:${join(dir, 'relay.db')}` });
    try {
      const base = address;
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      // The addresses for the person at the terminal go to stderr, with no token in them;
      // stdout is JSON lines for a log collector.
      assert.match(errors(), /Agent demo form: +http:\/\/127\.0\.0\.1:\d+\//);
      assert.match(errors(), /Customer phone: +http:\/\/127\.0\.0\.1:\d+\/simulator/);
      assert.doesNotMatch(errors() + output(), /eyJ[\w-]+\.[\w-]+\./, 'no token printed');
      for (const line of output().split('\n').filter(Boolean)) assert.doesNotThrow(() => JSON.parse(line), line);
      const { token } = (await (await fetch(`${base}/demo/config?agent=agent-1`)).json()) as { token: string };
      const api = (method: string, path: string, body?: unknown) =>
        fetch(`${base}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      await api('PUT', '/me/presence', { presence: 'available' });

      const sent = await fetch(`${base}/simulator/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '+447700900123', profileName: 'Oliver', body: 'Is my order shipped?' }) });
      assert.equal(sent.status, 202);
      let offered: { id: string } | undefined;
      for (let i = 0; i < 40 && !offered; i++) {
        offered = ((await (await api('GET', '/conversations?state=open')).json()) as { items: { id: string }[] }).items[0];
        if (!offered) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(offered, 'the conversation was offered');
      assert.equal((await api('POST', `/conversations/${offered.id}/accept`)).status, 200);
      const reply = await api('POST', `/conversations/${offered.id}/messages`, { body: 'Yes, it ships today.' });
      assert.equal(reply.status, 202);

      let status = '';
      for (let i = 0; i < 50 && status !== 'delivered'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const items = ((await (await api('GET', `/conversations/${offered.id}/messages`)).json()) as { items: { status: string }[] }).items;
        status = items.at(-1)!.status;
      }
      assert.equal(status, 'delivered');
      const phone = (await (await fetch(`${base}/simulator/api/phones/+447700900123/messages`)).json()) as { items: { body: string }[] };
      assert.deepEqual(phone.items.map((m) => m.body), ['Is my order shipped?', 'Yes, it ships today.']);
      for (let i = 0; i < 30 && status !== 'read'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = ((await (await api('GET', `/conversations/${offered.id}/messages`)).json()) as { items: { status: string }[] }).items.at(-1)!.status;
      }
      assert.equal(status, 'read', 'viewing the chat on the phone reads it');

      await fetch(`${base}/simulator/api/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 24 * 3600_000 }) });
      const late = await api('POST', `/conversations/${offered.id}/messages`, { body: 'Anything else?' });
      assert.equal(late.status, 422);
      assert.equal(((await late.json()) as { message: string }).message, WINDOW_EXPIRED_MESSAGE);
    } finally {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0, 'graceful shutdown exits 0');
    }
  });

  it('sends each WhatsApp kind the demo shows: a referral, a location, a contact, a button, a reaction, a forwarded message, a tap on an agent\'s button, a poll', async () => {
    const { child, address } = await startProcess({ DATABASE_URL: `sqlite:${join(dir, 'kinds.db')}` });
    try {
      const { token } = (await (await fetch(`${address}/demo/config?agent=agent-2`)).json()) as { token: string };
      const api = (method: string, path: string, body?: unknown) =>
        fetch(`${address}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const phone = (body: object) =>
        fetch(`${address}/simulator/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '+447700900777', ...body }) });
      await api('PUT', '/me/presence', { presence: 'available' });
      // The phone's file upload: a file name that is not percent-encoding is the phone's mistake, not the relay's.
      const attach = (filename: string) =>
        fetch(`${address}/simulator/api/media`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-filename': filename }, body: new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]) });
      const badName = await attach('%E0%A4%A');
      assert.deepEqual([badName.status, ((await badName.json()) as { error: string }).error], [400, 'invalid_request']);
      assert.equal((await attach(encodeURIComponent('facture été.pdf'))).status, 201);
      assert.equal((await phone({ body: 'Saw your ad', referral: { headline: 'Spring sale', body: '20% off', sourceUrl: 'https://fb.me/sale' } })).status, 202);
      let offered: { id: string; referral: { headline: string } | null } | undefined;
      for (let i = 0; i < 40 && !offered; i++) {
        offered = ((await (await api('GET', '/conversations?state=open')).json()) as { items: { id: string; referral: { headline: string } | null }[] }).items[0];
        if (!offered) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(offered);
      assert.equal(offered.referral?.headline, 'Spring sale');
      assert.equal((await api('POST', `/conversations/${offered.id}/accept`)).status, 200);
      for (const kind of [
        { type: 'location', latitude: 51.5033, longitude: -0.1196, label: 'London Eye' },
        { type: 'contact', name: 'Bruno Lima', phone: '+5511912345678' },
        { type: 'button', text: 'Track order', payload: 'track' },
        { type: 'reaction', emoji: '👍' },
      ]) {
        assert.equal((await phone({ kind })).status, 202, kind.type);
      }
      assert.equal((await phone({ body: 'Look at this', forwarded: true })).status, 202);
      const items = ((await (await api('GET', `/conversations/${offered.id}/messages`)).json()) as { items: Record<string, unknown>[] }).items;
      assert.deepEqual(items[1]!.location, { latitude: 51.5033, longitude: -0.1196, address: null, label: 'London Eye' });
      assert.deepEqual(items[2]!.contacts, [{ name: 'Bruno Lima', phones: ['+5511912345678'] }]);
      assert.deepEqual(items[3]!.button, { text: 'Track order', payload: 'track' });
      assert.equal(items[4]!.unsupported, true);
      assert.equal(items[4]!.messageType, 'reaction');
      assert.equal(items[5]!.forwarded, true);

      // The phone page offers an agent's quick-reply buttons; a tap quotes that message, as WhatsApp does.
      assert.equal((await api('POST', `/conversations/${offered.id}/messages`, { body: 'Did that help?', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] })).status, 202);
      type Phone = { items: { id: string; sid: string | null; body: string; buttons: { id: string; title: string }[] }[] };
      let question: Phone['items'][number] | undefined;
      for (let i = 0; i < 40 && !question?.sid; i++) {
        question = ((await (await fetch(`${address}/simulator/api/phones/+447700900777/messages`)).json()) as Phone).items.find((m) => m.body === 'Did that help?');
        if (!question?.sid) await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(question?.buttons, [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }]);
      assert.equal((await phone({ kind: { type: 'button', text: 'Yes', payload: 'yes' }, replyToSid: question!.sid })).status, 202);
      assert.equal((await phone({ kind: { type: 'unknown', messageType: 'poll' } })).status, 202);
      const after = ((await (await api('GET', `/conversations/${offered.id}/messages`)).json()) as { items: Record<string, unknown>[] }).items;
      assert.deepEqual(after.at(-2)!.button, { text: 'Yes', payload: 'yes' });
      assert.equal((after.at(-2)!.replyTo as { id: string }).id, question!.id);
      assert.equal(after.at(-1)!.unsupported, true);
      assert.equal(after.at(-1)!.messageType, 'poll');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('stops on a bad configuration value with one line naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.equal(err.trim().split('\n').length, 1);
    assert.match(err, /^Configuration error: PORT: must be a whole number/);
  });
});
