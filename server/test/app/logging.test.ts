/**
 * The relay's own log lines, as an operator would ship them: real traffic through the real
 * logger configuration, then every line read back. One JSON object per line; request lines
 * carry their request id and the conversation they concern; no phone number unmasked, no
 * message text, no token or signature anywhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { loggerOptions } from '../../src/logging.ts';
import { maskPhone } from '../../src/domain/phone.ts';
import { signTwilioRequest } from '../../src/twilio/signature.ts';
import { FAKE_AUTH_TOKEN } from '../fakes/twilio-api.ts';
import { PUBLIC_URL, startRelay, type TestRelay } from '../helpers/harness.ts';

const CUSTOMER = '+447700900123';
const CUSTOMER_TEXT = 'my card ends 4111 and I live at 12 Acacia Avenue';
const AGENT_TEXT = 'your parcel code is SECRET-7781';

describe('log lines', () => {
  const lines: string[] = [];
  let relay: TestRelay;
  let token: string;
  let conversationId: string;

  before(async () => {
    relay = await startRelay({ logStream: { write: (line: string) => void lines.push(line) } });
    token = await relay.availableAgent('alice', 'Alice Example');
    conversationId = await relay.activeConversation(token, CUSTOMER, CUSTOMER_TEXT);
    assert.equal((await relay.api(token, 'POST', `/api/v1/conversations/${conversationId}/messages`, { body: AGENT_TEXT })).statusCode, 202);
    await relay.app.relay.outbox.drain();
    await relay.api(token, 'GET', `/api/v1/conversations/${conversationId}/messages`);
    await relay.api(token, 'GET', `/api/v1/search?q=${encodeURIComponent('Acacia')}`);
    // A forged webhook (wrong signature) and a refused request are logged too.
    await relay.inbound({ From: `whatsapp:${CUSTOMER}`, Body: CUSTOMER_TEXT }, { signature: signTwilioRequest('not-the-token', `${PUBLIC_URL}/twilio/inbound`, {}) });
    await relay.api(token, 'GET', '/api/v1/conversations/cv_missing/messages');
  });
  after(() => relay.close());

  it('writes one JSON object per line, each request with its id and the conversation it concerns', () => {
    assert.ok(lines.length >= 8, `only ${lines.length} lines`);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = parsed.filter((l) => l.msg === 'request');
    assert.ok(requests.length >= 6);
    for (const r of requests) assert.match(String(r.reqId), /^req-/, JSON.stringify(r));
    const onConversation = requests.filter((r) => String(r.route).startsWith('/api/v1/conversations/:id'));
    assert.ok(onConversation.length >= 3);
    assert.ok(onConversation.some((r) => r.conversationId === conversationId));
    for (const r of onConversation) assert.ok(r.conversationId, `no conversationId on ${JSON.stringify(r)}`);
    // A stored webhook is one line: its request line says where the message went.
    const stored = requests.filter((l) => l.route === '/twilio/inbound' && l.stored === 'inbound message');
    assert.ok(stored.some((l) => l.customer === maskPhone(CUSTOMER) && l.conversationId === conversationId && l.statusCode === 200), JSON.stringify(stored));
    const webhookLines = parsed.filter((l) => l.reqId === stored[0]!.reqId);
    assert.equal(webhookLines.length, 1, JSON.stringify(webhookLines));
  });

  it('says which agent made each request, and where a refused one came from', () => {
    const requests = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.msg === 'request');
    const agents = requests.filter((r) => String(r.route).startsWith('/api/v1/') && r.route !== '/api/v1/openapi.json');
    assert.ok(agents.length >= 4);
    for (const r of agents) assert.equal(r.agentId, 'alice', JSON.stringify(r));
    const forged = requests.find((r) => r.route === '/twilio/inbound' && r.statusCode === 403)!;
    assert.equal(typeof forged.peer, 'string', JSON.stringify(forged));
    assert.equal(forged.agentId, undefined);
  });

  it('never holds a phone number unmasked, message text, a token or a signature', () => {
    const all = lines.join('\n');
    for (const secret of [CUSTOMER, CUSTOMER.slice(1), CUSTOMER_TEXT, 'Acacia', AGENT_TEXT, 'SECRET-7781', token, FAKE_AUTH_TOKEN]) {
      assert.ok(!all.includes(secret), `a log line holds "${secret.slice(0, 24)}"`);
    }
    assert.equal(maskPhone(CUSTOMER), '+44770090****');
    assert.ok(all.includes('+44770090****'));
  });

  it('censors the row values PostgreSQL quotes in a constraint error', () => {
    const out: string[] = [];
    const log = pino(loggerOptions('info'), { write: (line: string) => void out.push(line) });
    const err = Object.assign(new Error('duplicate key value violates unique constraint "conversations_one_open"'), {
      code: '23505',
      detail: `Key (customer_phone, business_phone)=(${CUSTOMER}, +14155238886) already exists.`,
    });
    log.error({ err }, 'request failed');
    assert.ok(!out.join('').includes(CUSTOMER));
    assert.match(out.join(''), /\[redacted\]/);
  });
});
