/** Starting the relay in Twilio mode against the fake Twilio API, and the fake itself. */
import { randomBytes } from 'node:crypto';
import { FAKE_TWILIO, RELAY_MAIN, RELAY_NODE_ARGS, RELAY_START_ENV, freePort, startNode, type Proc } from './procs.ts';

export const BUSINESS_A = '+14155238886';
export const BUSINESS_B = '+14155238887';

export interface Fake {
  proc: Proc;
  url: string;
  accountSid: string;
  authToken: string;
}

export async function startFakeTwilio(): Promise<Fake> {
  const proc = await startNode(FAKE_TWILIO, { label: 'fake Twilio', ready: (l) => typeof l.url === 'string' });
  return { proc, url: String(proc.hello.url), accountSid: String(proc.hello.accountSid), authToken: String(proc.hello.authToken) };
}

export interface Relay {
  proc: Proc;
  base: string;
  publicUrl: string;
  authToken: string;
  secret: string;
}

export const AUTH_SECRET = randomBytes(24).toString('hex');

/** One relay process; `databaseUrl` sqlite:... or postgres://... */
export async function startRelay(fake: Pick<Fake, 'url' | 'accountSid' | 'authToken'>, databaseUrl: string, opts: { nodeArgs?: string[]; env?: Record<string, string>; label?: string; main?: string } = {}): Promise<Relay> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const proc = await startNode(opts.main ?? RELAY_MAIN, {
    label: opts.label ?? 'relay',
    tsx: false,
    nodeArgs: [...RELAY_NODE_ARGS, ...(opts.nodeArgs ?? [])],
    env: {
      ...RELAY_START_ENV,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: publicUrl,
      DATABASE_URL: databaseUrl,
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_WHATSAPP_FROM: `whatsapp:${BUSINESS_A}`,
      TWILIO_API_BASE_URL: fake.url,
      AUTH_MODE: 'dev',
      AUTH_SECRET,
      LOG_LEVEL: process.env.BENCH_RELAY_LOG_LEVEL ?? 'info',
      ...opts.env,
    },
    ready: (l) => l.event === 'listening',
  });
  return { proc, base: String(proc.hello.address), publicUrl, authToken: fake.authToken, secret: AUTH_SECRET };
}
