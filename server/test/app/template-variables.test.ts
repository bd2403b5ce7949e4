/**
 * Template variables WhatsApp refuses (line breaks, tabs, more than four spaces in a row): Twilio
 * would take the send and it would fail after the agent moved on, so the relay refuses it first.
 */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { closeFakeTwilio, startRelay, type TestRelay } from '../helpers/harness.ts';

const WINDOW_PLUS = 25 * 3_600_000;
const ORDER_UPDATE = 'HX' + '1'.repeat(32);

describe('template variables', () => {
  let relay: TestRelay;
  let agent: string;
  let conversationId: string;
  beforeEach(async () => {
    await relay?.close();
    relay = await startRelay();
    agent = await relay.availableAgent('alice', 'Alice');
    conversationId = await relay.activeConversation(agent, '+14155550100', 'My order is late');
  });
  after(async () => {
    await relay.close();
    closeFakeTwilio();
  });

  const send = (payload: object) => relay.api(agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, payload);

  for (const [what, value] of [
    ['a newline', 'A-1001\nBox 2'],
    ['a tab', 'A-1001\tBox 2'],
    ['more than four consecutive spaces', 'A-1001     Box 2'],
  ] as const) {
    it(`refuses a template variable with ${what} up front (400, naming it), and sends nothing`, async () => {
      relay.clock.advance(WINDOW_PLUS);
      const r = await send({ template: { contentSid: ORDER_UPDATE, variables: { '1': 'Maria', '2': value } } });
      assert.equal(r.statusCode, 400, `answered ${r.statusCode} ${r.body}`);
      assert.equal(r.json().error, 'invalid_request');
      assert.match(r.json().message, /line breaks, tabs or more than four spaces in a row: 2\./);
      await relay.app.relay.outbox.drain();
      assert.equal(relay.twilio.createRequests.length, 0);
    });
  }
});
