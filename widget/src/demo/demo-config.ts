/** What the relay's `GET /demo/config` answers in dev mode. */
export interface DemoConfig {
  relayUrl: string;
  token: string;
  agent: { id: string; name: string };
}

/** `/demo/config`, passing the page's `?agent=` through so several agents can be tried side by side. */
export function configUrl(pageSearch: string): string {
  const agent = new URLSearchParams(pageSearch).get('agent');
  return agent ? `/demo/config?agent=${encodeURIComponent(agent)}` : '/demo/config';
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
