/**
 * SSE readers (their own process): N agents, each with a live GET /api/v1/events stream.
 * Latency probes are message events whose body is "lat:<seq>:<sent epoch ms>"; the sender
 * stamps the body just before it writes the webhook, this process stamps receipt, both with
 * performance.timeOrigin + performance.now() (the same system clock on one machine).
 *
 * IPC in:  connect {base, secret, agents, prefix, available, accept}
 *          wait-offers {n, timeoutMs}   latencies {}   close {}
 * IPC out: connected {count, ms} | offers {customers} | latencies {values} | closed {}
 */
import { Agent, request as httpRequest, type ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { mintDevToken } from '../../server/src/auth/tokens.ts';

interface Conn {
  agentId: string;
  token: string;
  req: ClientRequest;
}

const now = () => performance.timeOrigin + performance.now();
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
const apiAgent = new Agent({ keepAlive: true, maxSockets: 32 });
const conns: Conn[] = [];
let latencies: number[] = [];
const offers = new Map<string, string>(); // customer phone -> agent id (accepted)
let offerWaiter: (() => void) | null = null;
let base = '';

function api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(base + path, {
      method,
      agent: apiAgent,
      headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function onFrame(conn: Conn, event: string, data: string, accept: boolean) {
  if (event === 'message') {
    const t = now();
    const body = (JSON.parse(data) as { message: { body: string } }).message.body;
    if (body.startsWith('lat:')) latencies.push(t - Number(body.split(':')[2]));
  } else if (event === 'offer' && accept) {
    const offer = JSON.parse(data) as { conversationId: string; conversation: { customer: { phone: string } } };
    void api('POST', `/api/v1/conversations/${offer.conversationId}/accept`, conn.token).then((r) => {
      if (r.status === 200) {
        offers.set(offer.conversation.customer.phone, conn.agentId);
        offerWaiter?.();
      }
    });
  }
}

function connect(agentId: string, token: string, accept: boolean): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/api/v1/events`, { agent, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`SSE ${res.statusCode} for ${agentId}`));
        res.resume();
        return;
      }
      const conn: Conn = { agentId, token, req };
      let buffer = '';
      let ready = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of frame.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (!data) continue;
          if (event === 'ready' && !ready) {
            ready = true;
            resolve(conn);
          } else onFrame(conn, event, data, accept);
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (e) => reject(e));
    req.end();
  });
}

type Msg = { type: string } & Record<string, unknown>;

async function handle(msg: Msg): Promise<Msg> {
  switch (msg.type) {
    case 'connect': {
      base = String(msg.base);
      const started = now();
      const n = Number(msg.agents);
      const batch = 50;
      for (let i = 0; i < n; i += batch) {
        await Promise.all(
          Array.from({ length: Math.min(batch, n - i) }, async (_, k) => {
            const id = `${String(msg.prefix)}-${String(i + k).padStart(4, '0')}`;
            const token = msg.secret ? await mintDevToken(String(msg.secret), { id, name: `Bench Agent ${i + k}` }) : 'none';
            if (msg.available) {
              const r = await api('PUT', '/api/v1/me/presence', token, { presence: 'available' });
              if (r.status !== 200) throw new Error(`presence ${r.status} ${r.text}`);
            }
            conns.push(await connect(id, token, Boolean(msg.accept)));
          }),
        );
      }
      return { type: 'connected', count: conns.length, ms: now() - started };
    }
    case 'wait-offers': {
      const n = Number(msg.n);
      const deadline = now() + Number(msg.timeoutMs ?? 30_000);
      while (offers.size < n && now() < deadline) {
        await new Promise<void>((resolve) => {
          offerWaiter = resolve;
          setTimeout(resolve, 200);
        });
      }
      return { type: 'offers', customers: Object.fromEntries(offers) };
    }
    case 'latencies': {
      const values = latencies;
      latencies = [];
      return { type: 'latencies', values };
    }
    case 'close': {
      for (const c of conns) c.req.destroy();
      conns.length = 0;
      return { type: 'closed' };
    }
    default:
      throw new Error(`unknown message ${msg.type}`);
  }
}

process.on('message', (raw: unknown) => {
  const msg = raw as Msg;
  handle(msg).then(
    (reply) => process.send!(reply),
    (error: unknown) => process.send!({ type: replyTypeFor(msg.type), error: (error as Error).message }),
  );
});
const replyTypeFor = (t: string) => ({ connect: 'connected', 'wait-offers': 'offers', latencies: 'latencies', close: 'closed' })[t] ?? t;
process.on('disconnect', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ event: 'sse-ready' })}\n`);
