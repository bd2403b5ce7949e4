/**
 * Bearer tokens for the relay (`getToken` of the relay client), one provider per auth mode.
 *
 * - dev: the relay mints HS256 tokens for an agent id. The control asks for one only after
 *   the relay itself says it runs with AUTH_MODE=dev, so a control mis-set to "dev" never
 *   hands agent identities to a production relay.
 * - entra: an Entra ID access token for the relay's API, obtained by the relay's own sign-in
 *   page (`<relay>/auth/entra/popup`, which runs MSAL) in a pop-up window and handed back with
 *   postMessage. The control carries no MSAL and needs no web resource on the org.
 */

import { signInText } from '@wcp/widget/sign-in-text';
import { agentOf } from './map-context.ts';

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
    /** From a 429's Retry-After. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** After a failed token request the next one waits this long, doubling per failure up to DEV_BACKOFF_MAX_MS. */
export const DEV_BACKOFF_MIN_MS = 1_000;
export const DEV_BACKOFF_MAX_MS = 5 * 60_000;

export type DevTokenState =
  /** A token came after failures: whatever showed the error can hide it. */
  | { status: 'signed-in' }
  /** Emitted once when requests start failing (and again only if the error changes). */
  | { status: 'failed'; error: RelayAuthError; retryAt: number };

export interface DevTokenOptions {
  relayUrl: string;
  agentId: string;
  agentName: string;
  fetchImpl?: typeof fetch;
  now?: () => number;
  onStateChange?: (state: DevTokenState) => void;
}

export class DevTokenProvider implements TokenProvider {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private devModeConfirmed = false;
  /**
   * The last failure and when the relay may be asked again. The panel's requests and its event
   * stream call getToken on their own schedules (the stream about once a second); until
   * `retryAt` they get this error back without a request, so a relay that refuses (400, 401,
   * 403...), limits (429), fails (5xx) or cannot be reached is asked at most once per backoff step.
   */
  private failure: { error: RelayAuthError; retryAt: number; count: number } | undefined;
  /** A token was had (the control is told once, then on each recovery). */
  private signedIn = false;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: DevTokenOptions) {
    this.fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
    this.now = options.now ?? Date.now;
  }

  getToken(): Promise<string> {
    if (this.cached && this.cached.expiresAt - RENEW_BEFORE_MS > this.now()) return Promise.resolve(this.cached.token);
    if (this.pending) return this.pending;
    if (this.failure && this.now() < this.failure.retryAt) return Promise.reject(this.failure.error);
    // Concurrent callers (requests + event stream) share one token request.
    this.pending = this.fetchToken().then(
      (token) => {
        this.pending = undefined;
        // Told on the first token too: the control then knows a later failure (a relay restarting
        // at renewal) is passing trouble, not a panel that never signed in (index.ts signedInOnce).
        if (this.failure || !this.signedIn) {
          this.failure = undefined;
          this.signedIn = true;
          this.options.onStateChange?.({ status: 'signed-in' });
        }
        return token;
      },
      (error: unknown) => {
        this.pending = undefined;
        const failure = error instanceof RelayAuthError ? error : new RelayAuthError(String(error), 'unknown');
        this.recordFailure(failure);
        throw failure;
      },
    );
    return this.pending;
  }

  private recordFailure(error: RelayAuthError): void {
    const previous = this.failure;
    const count = (previous?.count ?? 0) + 1;
    const backoff = Math.min(DEV_BACKOFF_MAX_MS, DEV_BACKOFF_MIN_MS * 2 ** (count - 1));
    // 429: wait at least as long as the relay asks, and never less than the backoff.
    const delay = Math.max(backoff, error.retryAfterMs ?? 0);
    const retryAt = this.now() + delay;
    this.failure = { error, retryAt, count };
    if (!previous || previous.error.code !== error.code || previous.error.message !== error.message) {
      this.options.onStateChange?.({ status: 'failed', error, retryAt });
    }
  }

  private async fetchToken(): Promise<string> {
    if (!this.options.agentId.trim()) {
      throw new RelayAuthError(signInText.noAgentId(), 'no_agent_id');
    }
    if (!this.devModeConfirmed) {
      const config = await this.request<{ mode?: unknown }>(RELAY_AUTH_CONFIG_PATH, { method: 'GET' });
      if (config.mode !== 'dev') {
        throw new RelayAuthError(signInText.relayNotDev(), 'relay_not_dev');
      }
      this.devModeConfirmed = true;
    }
    // The relay refuses a blank name: never send one (the PCF test harness has no user name).
    const { name } = agentOf({ userId: this.options.agentId, userName: this.options.agentName });
    const body = JSON.stringify({ agentId: this.options.agentId, name });
    const answer = await this.request<{ token?: unknown }>(RELAY_DEV_TOKEN_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (typeof answer.token !== 'string') throw new RelayAuthError(signInText.noToken(), 'no_token');
    this.cached = { token: answer.token, expiresAt: jwtExpiry(answer.token) ?? this.now() + 5 * 60_000 };
    return answer.token;
  }

  private async request<T>(path: string, init: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.options.relayUrl}${path}`, init);
    } catch {
      throw new RelayAuthError(signInText.unreachable(this.options.relayUrl), 'network_error');
    }
    if (!response.ok) {
      const detail = await relayMessage(response);
      throw new RelayAuthError(
        signInText.refused(response.status, detail || null),
        `http_${response.status}`,
        response.status === 429 ? retryAfterMs(response.headers.get('retry-after'), this.now()) : undefined,
      );
    }
    return (await response.json()) as T;
  }
}

/** The `message` of the relay's JSON error body, shortened; '' when there is none. */
async function relayMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    return typeof body.message === 'string' ? body.message.slice(0, 200) : '';
  } catch {
    return '';
  }
}

/** `Retry-After` (seconds or an HTTP date) in milliseconds from now, or undefined. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
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

/** The relay's Entra sign-in page (server/src/auth/entra-popup.ts). */
export const RELAY_ENTRA_POPUP_PATH = '/auth/entra/popup';
/** One named window: a second sign-in reuses it instead of stacking windows. */
const POPUP_NAME = 'wcp-relay-sign-in';
const POPUP_FEATURES = 'popup=yes,width=480,height=560';

/** The pop-up window as its opener sees it. */
export interface PopupWindow {
  readonly closed: boolean;
  close(): void;
  focus(): void;
}

/** The part of `window` the Entra provider uses; tests hand it a fake. */
export interface PopupHost {
  readonly location: { readonly origin: string };
  open(url: string, target: string, features: string): PopupWindow | null;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export type EntraSignInState =
  | { status: 'signing-in' }
  | { status: 'signed-in'; expiresAt: number }
  /** The agent has to act: the pop-up was blocked or closed, or sign-in timed out. */
  | { status: 'needs-sign-in'; error: RelayAuthError };

export interface EntraTokenOptions {
  /** The relay's base URL, as validated by mapContext (https, no query). */
  relayUrl: string;
  host?: PopupHost;
  now?: () => number;
  /** How often the provider checks whether the agent closed the pop-up. */
  pollMs?: number;
  /** How long an open pop-up may take before the provider gives up on it. */
  timeoutMs?: number;
  onStateChange?: (state: EntraSignInState) => void;
}

/**
 * Entra ID tokens from the relay's sign-in pop-up.
 *
 * `getToken` answers from its cache until a minute before the token expires; then (or the
 * first time) it opens `<relay>/auth/entra/popup?origin=<this page's origin>`. That page signs
 * in with MSAL on the relay's origin — silently from its refresh token when it can, closing
 * itself at once; otherwise after the agent selects "Sign in with Microsoft" there — and posts
 * `{ type: 'wcp-token', token, expiresOn }` to this window. Only messages from the relay's
 * origin, from the pop-up, in that shape are taken.
 *
 * Renewal is not done in a hidden iframe: the relay is a third-party site inside Dynamics, and
 * browsers that block third-party cookies (Safari, Firefox, Chrome with tracking protection)
 * give such an iframe no Entra session and no relay storage. A top-level pop-up is first-party.
 *
 * Browsers block pop-ups not opened from a click. A blocked pop-up is reported as
 * `needs-sign-in` (the control shows a "Sign in" button, whose click calls `signIn()`); later
 * calls keep trying, since a blocked attempt shows nothing. After the agent closed the pop-up,
 * or it timed out, `getToken` stops opening windows until `signIn()` is called.
 */
export class EntraTokenProvider implements TokenProvider {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private popup: PopupWindow | null = null;
  /** Ends the pending sign-in (dispose). */
  private abort: ((error: RelayAuthError) => void) | undefined;
  /** Set when only the agent can go on (closed pop-up, timeout): no window opens by itself. */
  private waitForAgent: RelayAuthError | undefined;
  private readonly host: PopupHost;
  private readonly now: () => number;
  private readonly relayOrigin: string;

  constructor(private readonly options: EntraTokenOptions) {
    this.host = options.host ?? (window as unknown as PopupHost);
    this.now = options.now ?? Date.now;
    this.relayOrigin = new URL(options.relayUrl).origin;
  }

  getToken(): Promise<string> {
    if (this.cached && this.cached.expiresAt - RENEW_BEFORE_MS > this.now()) return Promise.resolve(this.cached.token);
    if (this.pending) return this.pending;
    if (this.waitForAgent) return Promise.reject(this.waitForAgent);
    return this.open();
  }

  /** From a click (the control's "Sign in" button): opens the pop-up, or brings the open one forward. */
  signIn(): Promise<string> {
    this.waitForAgent = undefined;
    if (this.pending) {
      this.popup?.focus();
      return this.pending;
    }
    return this.open();
  }

  /** The control is going away: stop listening and close a pop-up still open. */
  dispose(): void {
    const popup = this.popup;
    this.abort?.(new RelayAuthError(signInText.panelClosed(), 'disposed'));
    if (popup && !popup.closed) popup.close();
  }

  private open(): Promise<string> {
    const url = `${this.options.relayUrl}${RELAY_ENTRA_POPUP_PATH}?origin=${encodeURIComponent(this.host.location.origin)}`;
    let popup: PopupWindow | null = null;
    try {
      popup = this.host.open(url, POPUP_NAME, POPUP_FEATURES);
    } catch {
      popup = null;
    }
    if (!popup || popup.closed) {
      return this.fail(
        new RelayAuthError(
          signInText.popupBlocked(),
          'popup_blocked',
        ),
      );
    }
    const opened = popup;
    this.popup = opened;
    this.emit({ status: 'signing-in' });
    this.pending = new Promise<string>((resolve, reject) => {
      let closedOnce = false;
      const onMessage = (event: MessageEvent) => {
        if (event.origin !== this.relayOrigin) return;
        if (event.source !== opened) return;
        const answer = tokenMessage(event.data);
        if (!answer) return;
        finish();
        const expiresAt = answer.expiresOn > this.now() ? answer.expiresOn : (jwtExpiry(answer.token) ?? this.now() + 5 * 60_000);
        this.cached = { token: answer.token, expiresAt };
        this.emit({ status: 'signed-in', expiresAt });
        resolve(answer.token);
      };
      const giveUp = (error: RelayAuthError) => {
        finish();
        this.waitForAgent = error;
        this.emit({ status: 'needs-sign-in', error });
        reject(error);
      };
      // A message posted just before the window closed is still queued: closed twice in a row = closed.
      const poll = setInterval(() => {
        if (!opened.closed) {
          closedOnce = false;
          return;
        }
        if (closedOnce) {
          giveUp(new RelayAuthError(signInText.popupClosed(), 'popup_closed'));
          return;
        }
        closedOnce = true;
      }, this.options.pollMs ?? 500);
      const timeout = setTimeout(() => {
        if (!opened.closed) opened.close();
        giveUp(new RelayAuthError(signInText.timedOut(), 'sign_in_timeout'));
      }, this.options.timeoutMs ?? 5 * 60_000);
      const finish = () => {
        this.host.removeEventListener('message', onMessage);
        clearInterval(poll);
        clearTimeout(timeout);
        this.pending = undefined;
        this.popup = null;
        this.abort = undefined;
      };
      this.abort = (error) => {
        finish();
        reject(error);
      };
      this.host.addEventListener('message', onMessage);
    });
    return this.pending;
  }

  private fail(error: RelayAuthError): Promise<never> {
    this.emit({ status: 'needs-sign-in', error });
    return Promise.reject(error);
  }

  private emit(state: EntraSignInState): void {
    this.options.onStateChange?.(state);
  }
}

/** `{ type: 'wcp-token', token, expiresOn }` from the relay's sign-in page, or undefined for anything else. */
function tokenMessage(data: unknown): { token: string; expiresOn: number } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { type, token, expiresOn } = data as Record<string, unknown>;
  if (type !== 'wcp-token' || typeof token !== 'string' || !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) return undefined;
  return { token, expiresOn: typeof expiresOn === 'number' && Number.isFinite(expiresOn) ? expiresOn : 0 };
}
