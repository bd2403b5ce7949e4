/**
 * The fake Twilio REST API (server/test/fakes/twilio-api-server.ts) as its own process, for
 * e2e files that run the relay in Twilio mode (TWILIO_API_BASE_URL pointed at it). What the
 * relay sent is read back over the fake's control API (`GET /__fake/sent`).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ROOT } from './relay.ts';

export interface FakeTwilioProcess {
  url: string;
  accountSid: string;
  authToken: string;
  /** The messages Twilio accepted from the relay, oldest first. */
  sent(): Promise<{ sid: string; to: string; body: string; statusCallback: string | null }[]>;
  /** Stores inbound media in the account and returns its Twilio media URL (a webhook's MediaUrlN). */
  media(contentType: string, bytes: Uint8Array | string): Promise<string>;
  stop(): Promise<void>;
}

export async function startFakeTwilio(): Promise<FakeTwilioProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/test/fakes/twilio-api-server.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The fake Twilio did not start within 30 s:\n${out}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once('exit', (code) => reject(new Error(`The fake Twilio exited (${code}):\n${out}`)));
  });
  const { url, accountSid, authToken } = JSON.parse(first) as { url: string; accountSid: string; authToken: string };
  const exited = once(child, 'exit');
  return {
    url,
    accountSid,
    authToken,
    sent: async () => (await fetch(`${url}/__fake/sent`)).json() as Promise<{ sid: string; to: string; body: string; statusCallback: string | null }[]>,
    async media(contentType, bytes) {
      const base64 = Buffer.from(bytes).toString('base64');
      const response = await fetch(`${url}/__fake/media`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ contentType, base64 }) });
      return ((await response.json()) as { url: string }).url;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
