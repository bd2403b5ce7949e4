/** The template list's cache says why a refresh failed in the log, where the agent only sees "unavailable" or a stale list. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageTemplate } from '@wcp/protocol';
import { ManualClock } from '../../src/domain/clock.ts';
import { TemplateCatalogue, TEMPLATES_REFRESH_MS } from '../../src/services/templates.ts';
import { TwilioApiError } from '../../src/transport/twilio-rest.ts';
import type { Transport } from '../../src/transport/port.ts';

const TEMPLATE: MessageTemplate = {
  contentSid: 'HX' + 'a'.repeat(32),
  name: 'order_update',
  language: 'en',
  body: 'Your order {{1}}',
  variables: [{ key: '1', label: 'Order', source: null }],
  category: 'utility',
  status: 'approved',
};

describe('TemplateCatalogue', () => {
  it("logs Twilio's reason when the list cannot be loaded, and when a refresh fails and the last list is served stale", async () => {
    let answer: (() => Promise<MessageTemplate[]>) = () => Promise.reject(new TwilioApiError(401, 20003, 'Authenticate', null));
    const transport = { listTemplates: () => answer() } as Pick<Transport, 'listTemplates'> as Transport;
    const warnings: Array<{ message: string; err: unknown }> = [];
    const clock = new ManualClock(Date.parse('2026-12-07T10:00:00Z'));
    const catalogue = new TemplateCatalogue(transport, clock, { warn: (fields: { err: unknown }, message: string) => warnings.push({ message, err: fields.err }) } as never);

    await assert.rejects(catalogue.list(), { code: 'templates_unavailable' });
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.message, 'templates not loaded from Twilio');
    assert.equal((warnings[0]!.err as TwilioApiError).code, 20003, "Twilio's code is in the log");

    answer = () => Promise.resolve([TEMPLATE]);
    assert.deepEqual(await catalogue.list(), { items: [TEMPLATE], stale: false });
    answer = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3917'));
    clock.advance(TEMPLATES_REFRESH_MS);
    assert.deepEqual(await catalogue.list(), { items: [TEMPLATE], stale: true });
    assert.equal(warnings.length, 2);
    assert.equal(warnings[1]!.message, 'templates not refreshed from Twilio: the last list is served, marked stale');
    assert.match(String((warnings[1]!.err as Error).message), /ECONNREFUSED/);
    assert.deepEqual(await catalogue.list(), { items: [TEMPLATE], stale: true }, 'not tried again before the next refresh is due');
    assert.equal(warnings.length, 2);
  });
});
