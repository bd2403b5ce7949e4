/**
 * Bearer tokens for the relay (`getToken` of the relay client), one provider per auth mode.
 *
 * - dev: the relay mints HS256 tokens for an agent id. The control asks for one only after
 *   the relay itself says it runs with AUTH_MODE=dev, so a control mis-set to "dev" never
 *   hands agent identities to a production relay.
 * - entra: an Entra ID access token for the relay's API scope, obtained with MSAL in the
 *   browser (silent SSO first, then a pop-up). MSAL sits behind `MsalLike` so this logic is
 *   tested without it; `msal-client.ts` supplies the real one.
 */

export interface TokenProvider {
  getToken(): Promise<string>;
}

/** Relay routes the dev provider calls (public, no bearer): see the report/README. */
export const RELAY_AUTH_CONFIG_PATH = '/auth/config';
export const RELAY_DEV_TOKEN_PATH = '/auth/dev-token';

/** A token is renewed this long before it expires, so no request races its expiry. */
const RENEW_BEFORE_MS = 60_000;

export class RelayAuthError extends Error {
  override name = 'RelayAuthError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface DevTokenOptions {
  relayUrl: string;
  agentId: string;
  agentName: string;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

export class DevTokenProvider implements TokenProvider {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private devModeConfirmed = false;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: DevTokenOptions) {
    this.fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
    this.now = options.now ?? Date.now;
  }

  getToken(): Promise<string> {
    if (this.cached && this.cached.expiresAt - RENEW_BEFORE_MS > this.now()) return Promise.resolve(this.cached.token);
    // Concurrent callers (requests + event stream) share one token request.
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    if (!this.devModeConfirmed) {
      const config = await this.request<{ mode?: unknown }>(RELAY_AUTH_CONFIG_PATH, { method: 'GET' });
      if (config.mode !== 'dev') {
        throw new RelayAuthError(
          'The relay does not run in dev mode, so it gives out no dev tokens. Set "Authentication mode" to Entra ID in the control properties.',
          'relay_not_dev',
        );
      }
      this.devModeConfirmed = true;
    }
    const body = JSON.stringify({ agentId: this.options.agentId, name: this.options.agentName });
    const answer = await this.request<{ token?: unknown }>(RELAY_DEV_TOKEN_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (typeof answer.token !== 'string') throw new RelayAuthError('The relay answered without a token.', 'no_token');
    this.cached = { token: answer.token, expiresAt: jwtExpiry(answer.token) ?? this.now() + 5 * 60_000 };
    return answer.token;
  }

  private async request<T>(path: string, init: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.options.relayUrl}${path}`, init);
    } catch {
      throw new RelayAuthError(`The relay at ${this.options.relayUrl} cannot be reached.`, 'network_error');
    }
    if (!response.ok) {
      throw new RelayAuthError(`The relay refused to sign in the agent (HTTP ${response.status}).`, `http_${response.status}`);
    }
    return (await response.json()) as T;
  }
}

/** The `exp` claim (ms) of a JWT, without verifying it: only used to know when to renew. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The part of MSAL's PublicClientApplication the Entra provider uses; `Account` is MSAL's AccountInfo. */
export interface MsalLike<Account> {
  initialize(): Promise<void>;
  getActiveAccount(): Account | null;
  getAllAccounts(): Account[];
  setActiveAccount(account: Account | null): void;
  acquireTokenSilent(request: { scopes: string[]; account: Account }): Promise<MsalResult<Account>>;
  ssoSilent(request: { scopes: string[] }): Promise<MsalResult<Account>>;
  acquireTokenPopup(request: { scopes: string[] }): Promise<MsalResult<Account>>;
}

export interface MsalResult<Account> {
  accessToken: string;
  account: Account | null;
}

export class EntraTokenProvider<Account> implements TokenProvider {
  private ready: Promise<void> | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly msal: MsalLike<Account>,
    private readonly scope: string,
  ) {}

  getToken(): Promise<string> {
    this.pending ??= this.acquire().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async acquire(): Promise<string> {
    this.ready ??= this.msal.initialize();
    await this.ready;
    const scopes = [this.scope];
    const account = this.msal.getActiveAccount() ?? this.msal.getAllAccounts()[0];
    try {
      // MSAL answers from its cache and refreshes with the refresh token or the Entra session.
      const result = account ? await this.msal.acquireTokenSilent({ scopes, account }) : await this.msal.ssoSilent({ scopes });
      return this.remember(result);
    } catch {
      // No usable session (first use, consent needed, MFA): the agent signs in once in a pop-up.
    }
    try {
      return this.remember(await this.msal.acquireTokenPopup({ scopes }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RelayAuthError(
        `Signing in to the WhatsApp relay failed (${reason}). Allow pop-ups for this site and reload the form.`,
        'entra_sign_in_failed',
      );
    }
  }

  private remember(result: MsalResult<Account>): string {
    if (result.account) this.msal.setActiveAccount(result.account);
    return result.accessToken;
  }
}
