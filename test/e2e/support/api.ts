/** Direct HTTP to the relay, for setting scenes up and for checking what it stored. */

export interface PhoneMessage {
  id: string;
  sid: string | null;
  direction: 'inbound' | 'outbound';
  body: string;
  status: string;
  createdAt: number;
  media: { contentType: string; url: string }[];
}

export interface ApiMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  body: string;
  status: string;
  media: { url: string; contentType: string }[];
}

export interface ApiConversation {
  id: string;
  state: string;
  customer: { phone: string; profileName: string | null };
  assignedAgentId: string | null;
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** The simulator's JSON API (simulator mode only; no auth). */
export function simulatorApi(base: string) {
  const post = (path: string, body: unknown) =>
    fetch(`${base}/simulator/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return {
    async customerSays(from: string, profileName: string, body: string): Promise<{ messageSid: string }> {
      return json(await post('/messages', { from, profileName, body }));
    },
    async advanceClock(ms: number): Promise<{ offsetMs: number }> {
      return json(await post('/clock', { advanceMs: ms }));
    },
    /** Note: viewing the phone's messages marks delivered agent messages read, as a real phone would. */
    async phoneMessages(phone: string): Promise<PhoneMessage[]> {
      return (await json<{ items: PhoneMessage[] }>(await fetch(`${base}/simulator/api/phones/${encodeURIComponent(phone)}/messages`))).items;
    },
  };
}

/** The agent API with a dev token from /demo/config. */
export async function agentApi(base: string, agent: 'agent-1' | 'agent-2' | 'supervisor') {
  const { token } = await json<{ token: string }>(await fetch(`${base}/demo/config?agent=${agent}`));
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
    json<T>(
      await fetch(`${base}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  return {
    token,
    me: () => call<{ id: string; presence: string }>('GET', '/me'),
    setPresence: (presence: string) => call<{ presence: string }>('PUT', '/me/presence', { presence }),
    conversations: async (state?: string) => (await call<{ items: ApiConversation[] }>('GET', `/conversations${state ? `?state=${state}` : ''}`)).items,
    messages: async (conversationId: string) => (await call<{ items: ApiMessage[] }>('GET', `/conversations/${conversationId}/messages?limit=200`)).items,
    accept: (conversationId: string) => call<ApiConversation>('POST', `/conversations/${conversationId}/accept`),
    /** GET a media URL from a message (a relay path) with the token; returns the HTTP status. */
    mediaStatus: async (url: string) => (await fetch(new URL(url, base), { headers: { authorization: `Bearer ${token}` } })).status,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
