/**
 * `npm run doctor`: checks a deployment's configuration against the services it names.
 * Each check returns one line's worth of result; nothing here prints or exits.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { ClientCredentials } from '../crm/token.ts';
import { errorMessage } from '../domain/errors.ts';
import { isLoopbackHost } from '../domain/loopback.ts';
import { openStore } from '../store/open-store.ts';
import { SqliteStore } from '../store/sqlite-store.ts';
import { rebaseTwilioUrl } from '../transport/twilio.ts';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export type Fetch = typeof fetch;

const TIMEOUT_MS = 10_000;

async function get(fetchFn: Fetch, url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetchFn(url, { headers: { Accept: 'application/json', ...headers }, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

export async function checkStore(config: Config): Promise<CheckResult> {
  const name = `store opens and is migrated (${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')})`;
  // Opening an SQLite path that is not there would create a new, empty database and report it
  // fine: a mistyped path must show as one.
  const file = config.databaseUrl.startsWith('sqlite:') ? SqliteStore.pathFromUrl(config.databaseUrl) : null;
  if (file !== null && file !== ':memory:' && !existsSync(file)) {
    return { name, ok: false, detail: `no database file at ${file}`, fix: 'check DATABASE_URL names the relay\'s file; a new relay creates it at its first start (npm start), then run the doctor again' };
  }
  try {
    // Run beside the live relay (docs/deploy.md): its in-flight sends stay its own.
    const { store, bus } = await openStore(config.databaseUrl, { takeOver: false });
    try {
      await store.ping();
    } finally {
      await store.close();
      await bus.close();
    }
    return { name, ok: true, detail: 'ok' };
  } catch (error) {
    return { name, ok: false, detail: errorMessage(error), fix: 'check DATABASE_URL: the SQLite file must be writable, or the Postgres server reachable with those credentials' };
  }
}

function twilioAuth(config: NonNullable<Config['twilio']>): Record<string, string> {
  return { Authorization: 'Basic ' + Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64') };
}

function twilioUrl(config: NonNullable<Config['twilio']>, url: string): string {
  return rebaseTwilioUrl(url, { api: config.apiBaseUrl ?? undefined });
}

export async function checkTwilioCredentials(config: Config, fetchFn: Fetch = fetch): Promise<CheckResult> {
  const twilio = config.twilio;
  const name = 'Twilio accepts TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN';
  if (!twilio) return { name, ok: true, detail: 'skipped (simulator mode)' };
  try {
    const res = await get(fetchFn, twilioUrl(twilio, `https://api.twilio.com/2010-04-01/Accounts/${twilio.accountSid}.json`), twilioAuth(twilio));
    if (res.status === 401) {
      return { name, ok: false, detail: 'HTTP 401 (Twilio error 20003)', fix: 'Twilio refused TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN: copy them from the console' };
    }
    if (!res.ok) return { name, ok: false, detail: `HTTP ${res.status}`, fix: 'check the account is active in the Twilio console' };
    const body = (await res.json()) as { status?: string; friendly_name?: string };
    if (body.status && body.status !== 'active') {
      return { name, ok: false, detail: `account status is "${body.status}"`, fix: 'reactivate the account in the Twilio console' };
    }
    return { name, ok: true, detail: body.friendly_name ? `account "${body.friendly_name}"` : 'ok' };
  } catch (error) {
    return { name, ok: false, detail: errorMessage(error), fix: 'check network access to Twilio (or TWILIO_API_BASE_URL)' };
  }
}

interface SenderPage {
  senders?: { sender_id?: string; webhook?: { callback_url?: string | null; status_callback_url?: string | null } | null }[];
  meta?: { next_page_url?: string | null };
}

export async function checkWhatsAppSender(config: Config, fetchFn: Fetch = fetch): Promise<CheckResult> {
  const twilio = config.twilio;
  const name = 'WhatsApp sender exists and its webhooks point at the relay';
  if (!twilio) return { name, ok: true, detail: 'skipped (simulator mode)' };
  const want = `whatsapp:${twilio.whatsappFrom}`;
  const inbound = `${config.publicUrl}/twilio/inbound`;
  const status = `${config.publicUrl}/twilio/status`;
  try {
    let url: string | null = 'https://messaging.twilio.com/v2/Channels/Senders?Channel=whatsapp&PageSize=50';
    for (let pages = 0; url && pages < 50; pages += 1) {
      const res = await get(fetchFn, twilioUrl(twilio, url), twilioAuth(twilio));
      if (res.status === 401) {
        return { name, ok: false, detail: 'HTTP 401', fix: 'Twilio refused TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN: copy them from the console' };
      }
      if (!res.ok) return { name, ok: false, detail: `listing senders answered HTTP ${res.status}`, fix: 'check the account has WhatsApp senders enabled' };
      const page = (await res.json()) as SenderPage;
      const sender = page.senders?.find((s) => s.sender_id === want);
      if (sender) {
        const actualInbound = sender.webhook?.callback_url ?? '(none)';
        if (actualInbound !== inbound) {
          // PUBLIC_URL left at its default names this machine: Twilio can never call it, so that is the fix.
          const fix = isLoopbackHost(new URL(config.publicUrl).hostname)
            ? `set PUBLIC_URL to the relay's public https address (${config.publicUrl} is this machine, which Twilio cannot call), then set the sender's webhook URL to <PUBLIC_URL>/twilio/inbound`
            : `in the Twilio console (Messaging > Senders > WhatsApp senders > ${want}) set the webhook URL to ${inbound}`;
          return { name, ok: false, detail: `incoming webhook is ${actualInbound}, expected ${inbound}`, fix };
        }
        // The relay names its status callback on every message it sends (it overrides the
        // sender's), so the sender's own setting is reported, never required (docs/deploy.md).
        const actualStatus = sender.webhook?.status_callback_url ?? null;
        const statusNote = actualStatus === status ? status : `status callback ${actualStatus ?? 'unset'} (the relay asks for ${status} per message)`;
        return { name, ok: true, detail: `${want} → ${inbound}, ${statusNote}` };
      }
      url = page.meta?.next_page_url ?? null;
    }
    return { name, ok: false, detail: `no WhatsApp sender ${want} on this account`, fix: 'set TWILIO_WHATSAPP_FROM to a registered WhatsApp sender of this account, or register it in the console' };
  } catch (error) {
    return { name, ok: false, detail: errorMessage(error), fix: 'check network access to Twilio (or TWILIO_API_BASE_URL)' };
  }
}

/** The keys the relay's verifier (auth/tokens.ts) loads, from ENTRA_AUTHORITY_HOST. */
export async function checkEntraKeys(config: Config, fetchFn: Fetch = fetch): Promise<CheckResult> {
  const url = `${config.entraAuthorityHost}/${config.entraTenantId ?? ''}/discovery/v2.0/keys`;
  const name = `Entra signing keys load (${url})`;
  try {
    const res = await get(fetchFn, url);
    if (!res.ok) return { name, ok: false, detail: `HTTP ${res.status}`, fix: 'check ENTRA_TENANT_ID is your tenant ID' };
    const body = (await res.json()) as { keys?: unknown[] };
    if (!Array.isArray(body.keys) || body.keys.length === 0) return { name, ok: false, detail: 'no keys in the answer', fix: 'check ENTRA_TENANT_ID is your tenant ID' };
    return { name, ok: true, detail: `${body.keys.length} keys` };
  } catch (error) {
    return { name, ok: false, detail: errorMessage(error), fix: `check network access to ${new URL(config.entraAuthorityHost).host} (ENTRA_AUTHORITY_HOST)` };
  }
}

/** With Dataverse settings: Entra grants the relay a token, and the solution's activity table exists. */
export async function checkDataverse(config: Config): Promise<CheckResult> {
  const dataverse = config.dataverse!;
  const name = `Dataverse accepts the relay and has the WhatsApp conversation table (${dataverse.url})`;
  let token: string;
  try {
    token = await new ClientCredentials(dataverse).token();
  } catch (error) {
    return { name, ok: false, detail: errorMessage(error), fix: 'check DATAVERSE_CLIENT_ID, DATAVERSE_CLIENT_SECRET (the secret value, not its ID) and ENTRA_TENANT_ID' };
  }
  try {
    const res = await fetch(`${dataverse.url}/api/data/v9.2/EntityDefinitions(LogicalName='wcp_whatsappconversation')?$select=LogicalName`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'odata-version': '4.0', 'odata-maxversion': '4.0' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (res.ok) return { name, ok: true, detail: 'token granted; wcp_whatsappconversation exists' };
    if (res.status === 404) return { name, ok: false, detail: 'HTTP 404: no table wcp_whatsappconversation', fix: 'import the WhatsApp panel solution (npm run package) into this environment' };
    if (res.status === 401 || res.status === 403) {
      return { name, ok: false, detail: `HTTP ${res.status}`, fix: "add the relay's app registration as an application user in this environment and give it a role with Create and Write on WhatsApp conversations" };
    }
    return { name, ok: false, detail: `HTTP ${res.status}`, fix: 'check DATAVERSE_URL is the environment URL (https://<org>.crm.dynamics.com)' };
  } catch (error) {
    return { name, ok: false, detail: errorMessage(error), fix: 'check network access to DATAVERSE_URL' };
  }
}

/** Runs every check that applies; `onResult` sees each line as soon as it is known. */
export async function runChecks(
  env: Record<string, string | undefined> = process.env,
  options: { fetch?: Fetch; onResult?: (r: CheckResult) => void } = {},
): Promise<CheckResult[]> {
  const fetchFn = options.fetch ?? fetch;
  const results: CheckResult[] = [];
  const add = (r: CheckResult) => {
    results.push(r);
    options.onResult?.(r);
  };
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      add({ name: `configuration (${error.variable})`, ok: false, detail: error.message, fix: `correct ${error.variable} in the relay's environment` });
    } else {
      add({ name: 'configuration', ok: false, detail: errorMessage(error) });
    }
    return results;
  }
  add({ name: 'configuration loads', ok: true, detail: 'ok' });
  add(await checkStore(config));
  if (config.twilio) {
    add(await checkTwilioCredentials(config, fetchFn));
    add(await checkWhatsAppSender(config, fetchFn));
  }
  if (config.authMode === 'entra') add(await checkEntraKeys(config, fetchFn));
  if (config.dataverse) add(await checkDataverse(config));
  return results;
}

export function formatResult(r: CheckResult): string {
  return `${r.ok ? '✓' : '✗'} ${r.name}: ${r.detail}${!r.ok && r.fix ? ` — fix: ${r.fix}` : ''}`;
}

/** Runs the checks, writes one line each, returns the exit code (1 if any failed). */
export async function runDoctor(
  env: Record<string, string | undefined> = process.env,
  options: { fetch?: Fetch; write?: (line: string) => void } = {},
): Promise<number> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const results = await runChecks(env, { fetch: options.fetch, onResult: (r) => write(formatResult(r)) });
  return results.every((r) => r.ok) ? 0 : 1;
}
