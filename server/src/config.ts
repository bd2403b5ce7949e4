/**
 * The relay's configuration. This is the only module that reads `process.env`; everything
 * else receives a `Config`. A bad value stops start-up with one line naming the variable.
 */
import { isIP } from 'node:net';
// Each variable's shape is a TypeBox schema checked with Value.Convert/Value.Check. TypeBox
// rather than a new library (zod, envalid, convict): the relay already depends on it for its
// route and wire schemas (@wcp/protocol), so one schema language covers HTTP and environment
// alike and nothing is added to the install. The cross-variable rules (Twilio's three
// variables together, what AUTH_MODE requires) stay as code below, in their order, so each
// failure is still one line naming the variable.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseDatabaseUrl } from './store/postgres/database-url.ts';
import { isLoopbackHost } from './domain/loopback.ts';
import { errorMessage } from './domain/errors.ts';
import { GUID_PATTERN } from './domain/ids.ts';

export type AuthMode = 'dev' | 'entra';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** Business sender, E.164 without the `whatsapp:` prefix. */
  whatsappFrom: string;
  apiBaseUrl: string | null;
}

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string;
  /** null = simulator mode (no Twilio account). */
  twilio: TwilioConfig | null;
  /** The conversations are real customers' (reachesRealCustomers): the demo supervisor is not handed out. */
  realCustomers: boolean;
  /** The business number in simulator mode, E.164. */
  simulatorBusinessPhone: string;
  authMode: AuthMode;
  authSecret: string | null;
  entraTenantId: string | null;
  entraAudience: string | null;
  /** Application (client) ID of the SPA registration the relay's sign-in page (/auth/entra/popup) uses. */
  entraClientId: string | null;
  /**
   * ENTRA_AUTHORITY_HOST (default https://login.microsoftonline.com): Entra's sign-in host, for
   * agents' tokens (signing keys, issuer, the sign-in page) and the relay's Dataverse token — a
   * national cloud's (login.microsoftonline.us), or a test's fake.
   */
  entraAuthorityHost: string;
  corsOrigins: string[];
  mediaMaxBytes: number;
  offerTimeoutMs: number;
  agentCapacity: number;
  logLevel: string;
  /** METRICS_TOKEN: bearer token for GET /metrics; unset, /metrics answers loopback callers only. */
  metricsToken?: string | null;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: where OpenTelemetry traces go (OTLP/HTTP); unset, no tracing code is loaded. */
  otelEndpoint?: string | null;
  /** The CRM record: written to Dataverse when DATAVERSE_URL and its credentials are set; else null (no CRM writes). */
  dataverse?: DataverseConfig | null;
  /** AUTO_CLOSE_AFTER: a waiting conversation with no customer message this long closes itself; 0 = never. */
  autoCloseAfterMs?: number;
  /** WRAP_UP_CLOSE_AFTER: a conversation left in wrap-up this long closes itself; 0 = never. */
  wrapUpCloseAfterMs?: number;
  /** OFFLINE_AFTER_DISCONNECT: an agent whose panel no relay has seen this long is set Offline (usecases/absent-agents.ts); 0 = never. */
  offlineAfterDisconnectMs?: number;
  /** EVENT_LOG_RETENTION: how long the panels' replay log keeps an event (usecases/prune-event-log.ts); 0 = for ever. */
  eventLogRetentionMs?: number;
  /** REQUEST_TIMEOUT: the most a client may take to send a whole request (headers and body); then 408. */
  requestTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

/** The value as the schema reads it, or null when it does not fit. */
function parse<S extends TSchema>(schema: S, raw: unknown): Static<S> | null {
  const value = Value.Convert(schema, raw);
  return Value.Check(schema, value) ? value : null;
}

/** Digits only: Value.Convert alone would also take "-5", "1e3" or "0x10" as numbers. */
const WholeNumber = Type.String({ pattern: '^\\d+$' });

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (parse(WholeNumber, raw) === null) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = parse(Type.Integer({ minimum: min, maximum: max }), raw);
  if (value === null) throw new ConfigError(name, `must be between ${min} and ${max}, got ${Number(raw)}`);
  return value;
}

/**
 * The relay's conversations are real customers': it has Twilio credentials and sends through
 * anything but a test rig's fake on this machine (TWILIO_API_BASE_URL on a loopback address) or
 * the simulator. Twilio's own API, a regional edge, or a proxy in front of Twilio all reach
 * customers: dev sign-in there needs the operator's explicit word. So does a relay in production
 * (NODE_ENV=production, as the image sets) whatever its TWILIO_API_BASE_URL: a sidecar or egress
 * proxy on localhost in front of Twilio is a loopback address too.
 */
function reachesRealCustomers(twilio: TwilioConfig | null, production: boolean): boolean {
  if (twilio === null) return false;
  return production || twilio.apiBaseUrl === null || !isLoopbackHost(new URL(twilio.apiBaseUrl).hostname);
}

/** Entra's sign-in host in Microsoft's public cloud (ENTRA_AUTHORITY_HOST's default). */
export const ENTRA_PUBLIC_CLOUD = 'https://login.microsoftonline.com';

/**
 * A URL the relay trusts or sends a secret to: agents' tokens are checked with the signing keys
 * fetched from ENTRA_AUTHORITY_HOST, DATAVERSE_URL gets the relay's bearer token and
 * TWILIO_API_BASE_URL the account's auth token. Over plain
 * http anyone on the path could hand the relay keys of their own (and sign in as any agent) or
 * read the token. http is for a test's fake on this machine only.
 */
function secureUrl(name: string, raw: string): string {
  const checked = httpUrl(name, raw);
  const url = new URL(checked);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(name, `must be https:// (http:// only for a fake on this machine: localhost, 127.x.x.x or [::1]), got "${raw}"`);
  }
  return checked;
}

function httpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

const E164 = Type.String({ pattern: '^\\+[1-9]\\d{6,14}$' });
const GUID = Type.String({ pattern: GUID_PATTERN });
const DatabaseUrl = Type.String({ pattern: '^(sqlite:.+|postgres(ql)?://.+)' });
const AccountSid = Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' });
const AuthModeSchema = Type.Union([Type.Literal('dev'), Type.Literal('entra')]);
const AuthSecret = Type.String({ minLength: 32 });
/** `24h`, `90m`, `45s`, `2d`, or `0` (never). */
const Duration = Type.String({ pattern: '^(0|[1-9]\\d{0,5}(s|m|h|d))$' });
const DURATION_UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function duration(env: Env, name: string, fallback: string): number {
  const raw = text(env, name) ?? fallback;
  if (parse(Duration, raw) === null) throw new ConfigError(name, `must be a duration such as 24h, 90m or 0 (never), got "${raw}"`);
  return raw === '0' ? 0 : Number(raw.slice(0, -1)) * DURATION_UNIT_MS[raw.slice(-1)]!;
}

/**
 * Panels are marked seen every half minute (services/absent-agents.ts), and one that dropped
 * reconnects within seconds: under a minute, an agent with the panel open could be set Offline.
 */
function offlineAfterDisconnect(env: Env): number {
  const ms = duration(env, 'OFFLINE_AFTER_DISCONNECT', '2m');
  if (ms !== 0 && ms < DURATION_UNIT_MS['m']!) throw new ConfigError('OFFLINE_AFTER_DISCONNECT', `must be 0 (never) or at least 1m, got "${text(env, 'OFFLINE_AFTER_DISCONNECT')}"`);
  return ms;
}

/** The log's newest id is noted hourly (usecases/prune-event-log.ts): a shorter retention could not be kept. */
function eventLogRetention(env: Env): number {
  const ms = duration(env, 'EVENT_LOG_RETENTION', '30d');
  if (ms !== 0 && ms < DURATION_UNIT_MS['h']!) throw new ConfigError('EVENT_LOG_RETENTION', `must be 0 (keep for ever) or at least 1h, got "${text(env, 'EVENT_LOG_RETENTION')}"`);
  return ms;
}

/**
 * A request must arrive whole in this time, or it is answered 408 and its connection closed: a
 * client sending a body a byte at a time held its connection for ever (the webhook routes read
 * the body before the signature can be checked). Never 0; at least 1s; long enough for the
 * largest upload on a slow line (16 MB in 2 minutes is ~1.1 Mbit/s).
 */
function requestTimeout(env: Env): number {
  const ms = duration(env, 'REQUEST_TIMEOUT', '2m');
  if (ms < DURATION_UNIT_MS['s']! || ms > DURATION_UNIT_MS['h']!) throw new ConfigError('REQUEST_TIMEOUT', `must be a duration from 1s to 1h, got "${text(env, 'REQUEST_TIMEOUT')}"`);
  return ms;
}

/** The operator's word that dev sign-in on a live Twilio account is meant (loadConfig). */
const DEV_AUTH_WITH_TWILIO = 'INSECURE_DEV_AUTH_WITH_TWILIO';

const TenantId = Type.String({ pattern: '^[0-9a-fA-F-]{36}$|^[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$' });

/** This relay's own address, for when PUBLIC_URL is not set: a wildcard listen address is reached on loopback, an IPv6 one in brackets. */
function defaultPublicUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${isIP(reachable) === 6 ? `[${reachable}]` : reachable}:${port}`;
}

/** pino's levels (logging.ts): another name would stop start-up deep inside the logger. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function logLevel(env: Env): string {
  const raw = text(env, 'LOG_LEVEL') ?? 'info';
  const level = raw.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level;
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = text(env, 'HOST') ?? '127.0.0.1';
  if (host !== 'localhost' && isIP(host) === 0) throw new ConfigError('HOST', `must be an IP address or localhost, got "${host}"`);

  const publicUrl = httpUrl('PUBLIC_URL', text(env, 'PUBLIC_URL') ?? defaultPublicUrl(host, port));
  // Twilio signs the exact URL it calls: PUBLIC_URL + the webhook's path, nothing after it.
  const publicParts = new URL(publicUrl);
  if (publicParts.search || publicParts.hash || publicParts.username || publicParts.password) {
    throw new ConfigError('PUBLIC_URL', `must be the relay's address without a query, a fragment or credentials, got "${publicUrl}"`);
  }

  const databaseUrl = text(env, 'DATABASE_URL') ?? 'sqlite:./data/relay.db';
  if (parse(DatabaseUrl, databaseUrl) === null) {
    throw new ConfigError('DATABASE_URL', 'must start with sqlite: or postgres://');
  }
  if (!databaseUrl.startsWith('sqlite:')) {
    try {
      parseDatabaseUrl(databaseUrl);
    } catch (error) {
      // Not the URL itself: it may hold the database password.
      throw new ConfigError('DATABASE_URL', `is not a valid postgres:// URL (${errorMessage(error)}); it looks like postgres://user:password@host:5432/database`);
    }
  }

  const accountSid = text(env, 'TWILIO_ACCOUNT_SID');
  const authToken = text(env, 'TWILIO_AUTH_TOKEN');
  const from = text(env, 'TWILIO_WHATSAPP_FROM');
  let twilio: TwilioConfig | null = null;
  if (accountSid || authToken || from) {
    if (!accountSid) throw new ConfigError('TWILIO_ACCOUNT_SID', 'is required when other TWILIO_* variables are set');
    if (parse(AccountSid, accountSid) === null) throw new ConfigError('TWILIO_ACCOUNT_SID', 'must look like AC followed by 32 hex digits');
    if (!authToken) throw new ConfigError('TWILIO_AUTH_TOKEN', 'is required with TWILIO_ACCOUNT_SID');
    if (!from) throw new ConfigError('TWILIO_WHATSAPP_FROM', 'is required with TWILIO_ACCOUNT_SID');
    const number = from.replace(/^whatsapp:/, '');
    if (!from.startsWith('whatsapp:') || parse(E164, number) === null) {
      throw new ConfigError('TWILIO_WHATSAPP_FROM', `must be whatsapp:+<E.164 number>, got "${from}"`);
    }
    const base = text(env, 'TWILIO_API_BASE_URL');
    twilio = { accountSid, authToken, whatsappFrom: number, apiBaseUrl: base ? secureUrl('TWILIO_API_BASE_URL', base) : null };
  }

  const rawMode = text(env, 'AUTH_MODE');
  const mode = rawMode === null ? null : parse(AuthModeSchema, rawMode);
  if (rawMode !== null && mode === null) {
    throw new ConfigError('AUTH_MODE', `must be "dev" or "entra", got "${rawMode}"`);
  }
  if (twilio && mode === null) {
    throw new ConfigError('AUTH_MODE', 'must be set ("dev" or "entra") when Twilio credentials are configured');
  }
  // The production image sets NODE_ENV=production: there, a relay whose Twilio variables went
  // missing must not fall back to dev sign-in (tokens for anyone, the demo supervisor's
  // included) on its public address and production database.
  if (mode === null && text(env, 'NODE_ENV') === 'production') {
    throw new ConfigError('AUTH_MODE', 'must be set ("entra", or "dev" on purpose) when NODE_ENV=production; dev sign-in gives tokens to anyone who asks');
  }
  const authMode: AuthMode = mode ?? 'dev';
  // Dev sign-in gives a token for whichever agent is named to anyone who reaches the relay: with
  // Twilio's own API those agents' conversations are real customers'. Pointed at another API
  // (TWILIO_API_BASE_URL: a test rig's fake Twilio, as the design has tests do) the relay takes
  // dev sign-in as it does in simulator mode; against Twilio, only an operator who says so by
  // name (a closed network) runs that way.
  const acceptsDevSignIn = text(env, DEV_AUTH_WITH_TWILIO);
  if (acceptsDevSignIn !== null && acceptsDevSignIn !== 'true') {
    throw new ConfigError(DEV_AUTH_WITH_TWILIO, `must be "true" or unset, got "${acceptsDevSignIn}"`);
  }
  const realCustomers = reachesRealCustomers(twilio, text(env, 'NODE_ENV') === 'production');
  if (authMode === 'dev' && realCustomers && acceptsDevSignIn === null) {
    throw new ConfigError(
      'AUTH_MODE',
      `is "dev" with Twilio credentials and Twilio's API: anyone who reaches the relay could sign in as any agent and read real customers' conversations; set AUTH_MODE=entra, or ${DEV_AUTH_WITH_TWILIO}=true if only trusted people can reach it`,
    );
  }

  const authSecret = text(env, 'AUTH_SECRET');
  if (authSecret !== null && parse(AuthSecret, authSecret) === null) throw new ConfigError('AUTH_SECRET', 'must be at least 32 characters');
  if (authMode === 'dev' && twilio && authSecret === null) {
    throw new ConfigError('AUTH_SECRET', 'is required with AUTH_MODE=dev when Twilio credentials are configured');
  }

  const entraTenantId = text(env, 'ENTRA_TENANT_ID');
  const entraAudience = text(env, 'ENTRA_AUDIENCE');
  const entraClientId = text(env, 'ENTRA_CLIENT_ID');
  if (authMode === 'entra') {
    // A domain would do to sign in and to reach Dataverse, but agents' tokens name the tenant by
    // its ID in their issuer: with a domain here every agent would be refused.
    if (!entraTenantId || parse(GUID, entraTenantId) === null) {
      throw new ConfigError('ENTRA_TENANT_ID', "must be the tenant ID (a GUID: Entra ID > Overview > Tenant ID) when AUTH_MODE=entra; agents' tokens name the tenant by its ID, so a domain would refuse every agent");
    }
    if (!entraAudience) throw new ConfigError('ENTRA_AUDIENCE', 'is required when AUTH_MODE=entra');
    // Only the panel's sign-in page needs it: the API checks tokens without it, so a relay
    // without it starts (as the design's Entra settings have it) and that page says what is missing.
    if (entraClientId !== null && parse(GUID, entraClientId) === null) {
      throw new ConfigError('ENTRA_CLIENT_ID', 'must be the application (client) ID (a GUID) of the panel sign-in app registration');
    }
  }

  const corsOrigins = (text(env, 'CORS_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      const url = new URL(httpUrl('CORS_ORIGINS', o));
      if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
        throw new ConfigError('CORS_ORIGINS', `"${o}" must be an origin (scheme://host[:port]) without a path, query or fragment`);
      }
      // As a browser sends it in Origin: a lower-case host, no default port.
      return url.origin;
    });

  const otelEndpoint = text(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const entraAuthorityHost = secureUrl('ENTRA_AUTHORITY_HOST', text(env, 'ENTRA_AUTHORITY_HOST') ?? ENTRA_PUBLIC_CLOUD);
  const dataverse = dataverseConfig(env, entraTenantId, entraAuthorityHost);
  return {
    port,
    host,
    publicUrl,
    databaseUrl,
    twilio,
    realCustomers,
    simulatorBusinessPhone: '+14155238886',
    authMode,
    authSecret,
    entraTenantId,
    entraAudience,
    entraClientId,
    entraAuthorityHost,
    corsOrigins,
    mediaMaxBytes: integer(env, 'MEDIA_MAX_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    offerTimeoutMs: integer(env, 'OFFER_TIMEOUT_SECONDS', 120, 5, 3600) * 1000,
    agentCapacity: integer(env, 'AGENT_CAPACITY', 5, 1, 100),
    logLevel: logLevel(env),
    metricsToken: text(env, 'METRICS_TOKEN') ?? null,
    autoCloseAfterMs: duration(env, 'AUTO_CLOSE_AFTER', '24h'),
    wrapUpCloseAfterMs: duration(env, 'WRAP_UP_CLOSE_AFTER', '1h'),
    offlineAfterDisconnectMs: offlineAfterDisconnect(env),
    eventLogRetentionMs: eventLogRetention(env),
    requestTimeoutMs: requestTimeout(env),
    otelEndpoint: otelEndpoint === null ? null : httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', otelEndpoint),
    dataverse,
  };
}

export interface DataverseConfig {
  /** The organisation, e.g. https://contoso.crm.dynamics.com (no trailing slash). */
  url: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Where client-credentials tokens come from (default https://login.microsoftonline.com). */
  authorityHost: string;
}

/** All of DATAVERSE_URL, DATAVERSE_CLIENT_ID, DATAVERSE_CLIENT_SECRET and ENTRA_TENANT_ID, or none. */
function dataverseConfig(env: Env, tenantId: string | null, authorityHost: string): DataverseConfig | null {
  const url = text(env, 'DATAVERSE_URL');
  const clientId = text(env, 'DATAVERSE_CLIENT_ID');
  const clientSecret = text(env, 'DATAVERSE_CLIENT_SECRET');
  if (url === null) {
    if (clientId !== null || clientSecret !== null) throw new ConfigError('DATAVERSE_URL', 'is required when DATAVERSE_CLIENT_ID or DATAVERSE_CLIENT_SECRET is set');
    return null;
  }
  if (!clientId || parse(GUID, clientId) === null) throw new ConfigError('DATAVERSE_CLIENT_ID', 'must be the application (client) ID (a GUID) of the relay\'s app registration when DATAVERSE_URL is set');
  if (!clientSecret) throw new ConfigError('DATAVERSE_CLIENT_SECRET', 'is required when DATAVERSE_URL is set');
  if (!tenantId || parse(TenantId, tenantId) === null) throw new ConfigError('ENTRA_TENANT_ID', 'must be the tenant GUID or domain when DATAVERSE_URL is set');
  return {
    url: secureUrl('DATAVERSE_URL', url),
    tenantId,
    clientId,
    clientSecret,
    authorityHost,
  };
}
