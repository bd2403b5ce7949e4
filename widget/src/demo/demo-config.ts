/** What the relay's `GET /demo/config` answers in dev mode. */
export interface DemoConfig {
  relayUrl: string;
  token: string;
  agent: { id: string; name: string };
  /** The demo relay's fake Dataverse Web API (the CRM's timeline); null or absent when it has none. */
  dataverseUrl?: string | null;
}

/** What the page's query asks of the panel: `?lang=de|fr|es|ar|en`, `?theme=dark|light`. */
export interface PageOptions {
  locale: string;
  theme: 'light' | 'dark' | undefined;
}

export function pageOptions(pageSearch: string): PageOptions {
  const params = new URLSearchParams(pageSearch);
  const theme = params.get('theme');
  return {
    locale: params.get('lang')?.trim() || 'en',
    theme: theme === 'dark' || theme === 'light' ? theme : undefined,
  };
}

/** `/demo/config`, passing the page's `?agent=` through so several agents can be tried side by side. */
export function configUrl(pageSearch: string): string {
  const agent = new URLSearchParams(pageSearch).get('agent');
  return agent ? `/demo/config?agent=${encodeURIComponent(agent)}` : '/demo/config';
}

/** Fetches and checks the relay's demo configuration (`url`: `configUrl(...)`, or the supervisor's). */
export async function loadDemoConfig(url: string): Promise<DemoConfig> {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`The relay answered ${response.status} for the demo configuration.`);
  const config: unknown = await response.json();
  if (!isDemoConfig(config)) throw new Error('The relay sent an unexpected demo configuration.');
  return config;
}

export function isDemoConfig(value: unknown): value is DemoConfig {
  const v = value as DemoConfig | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.relayUrl === 'string' &&
    typeof v.token === 'string' &&
    typeof v.agent?.id === 'string' &&
    typeof v.agent?.name === 'string'
  );
}

/** The `exp` of a JWT in milliseconds, or null when it has none (or is not a JWT). */
export function tokenExpiresAt(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** A token is refreshed a minute before it expires, so no request goes out with a dead one. */
export function needsRefresh(token: string, now: number): boolean {
  const expiresAt = tokenExpiresAt(token);
  return expiresAt !== null && expiresAt - now < 60_000;
}
