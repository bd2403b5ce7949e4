import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, assertMayMessage, consentChangeOf, consentChangeOfError } from '../../src/domain/consent.ts';
import { FREE_ENTRY_MS, freeEntryExpiresAt, freeEntryOpenedAt, freeEntryReplyBy, referralArrivedAt } from '../../src/window/free-entry.ts';
import { WINDOW_MS } from '../../src/window/policy.ts';
import { WHATSAPP_MAX_BODY_CHARS, isTemplateSendable, whatsappBodyLength } from '@wcp/protocol';
import { TypingThrottle } from '@wcp/protocol/typing';

describe('consent (opt-out) rules', () => {
  it('opts out on exactly one of the keywords, any case, trimmed', () => {
    for (const word of OPT_OUT_KEYWORDS) {
      assert.deepEqual(consentChangeOf(word), { optedOut: true, cause: `keyword:${word}` });
      assert.deepEqual(consentChangeOf(`  ${word.toLowerCase()}\n`), { optedOut: true, cause: `keyword:${word}` });
    }
    assert.deepEqual([...OPT_OUT_KEYWORDS], ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
  });

  it('opts back in on START, YES or UNSTOP', () => {
    assert.deepEqual([...OPT_IN_KEYWORDS], ['START', 'YES', 'UNSTOP']);
    for (const word of ['start', 'Yes', ' UNSTOP ']) assert.equal(consentChangeOf(word)?.optedOut, false);
  });

  it('leaves every other message alone', () => {
    for (const text of ['Stop it', 'please stop', 'STOP!', 'yes please', '', 'S T O P', 'cancel my order']) assert.equal(consentChangeOf(text), null, text);
  });

  it('reads Twilio 21610 and 63014 as an opt-out, no other code', () => {
    assert.deepEqual(consentChangeOfError(21610), { optedOut: true, cause: 'twilio:21610' });
    assert.deepEqual(consentChangeOfError(63014), { optedOut: true, cause: 'twilio:63014' });
    for (const code of [null, 63016, 21211, 30007]) assert.equal(consentChangeOfError(code), null);
  });

  it('refuses any send while opted out', () => {
    assert.throws(() => assertMayMessage({ optedOut: true }), (e: Error & { code?: string }) => e.code === 'opted_out');
    assert.doesNotThrow(() => assertMayMessage({ optedOut: false }));
  });
});

describe('free entry point', () => {
  it('runs 72 hours from the first reply of a conversation that began from a referral', () => {
    assert.equal(FREE_ENTRY_MS, 72 * 3600_000);
    assert.equal(freeEntryExpiresAt(true, 1_000), 1_000 + FREE_ENTRY_MS);
    assert.equal(freeEntryExpiresAt(true, null), null, 'not before the business replied');
    assert.equal(freeEntryExpiresAt(false, 1_000), null, 'not without a referral');
  });

  it('can be opened by a reply until the ad message’s 24-hour window closes, and not once a reply opened it', () => {
    const adAt = 1_000;
    assert.equal(freeEntryReplyBy(adAt, null), adAt + 24 * 3600_000);
    assert.equal(freeEntryReplyBy(adAt, adAt + 60_000), null, 'a reply opened it');
    assert.equal(freeEntryReplyBy(null, null), null, 'not without a referral');
    // A reply queued just before that moment opens it; one at that moment does not (one rule, two questions).
    const by = freeEntryReplyBy(adAt, null)!;
    assert.equal(freeEntryOpenedAt(adAt, { queuedAt: by - 1, reported: 'sent' }), by - 1);
    assert.equal(freeEntryOpenedAt(adAt, { queuedAt: by, reported: 'sent' }), null);
    const referral = { sourceType: 'ad', sourceUrl: null, headline: null, body: null, ctwaClid: null };
    assert.equal(referralArrivedAt({ referral, createdAt: adAt }), adAt, 'the ad message opened the conversation');
    assert.equal(referralArrivedAt({ referral: null, createdAt: adAt }), null);
  });

  it('opens only with a reply queued within 24 hours of the ad message that Twilio did not report refused', () => {
    const adAt = 1_000;
    assert.equal(freeEntryOpenedAt(adAt, { queuedAt: adAt + 60_000, reported: 'queued' }), adAt + 60_000, 'from the reply');
    assert.equal(freeEntryOpenedAt(adAt, { queuedAt: adAt + WINDOW_MS - 1, reported: 'read' }), adAt + WINDOW_MS - 1);
    assert.equal(freeEntryOpenedAt(adAt, { queuedAt: adAt + WINDOW_MS, reported: 'sent' }), null, 'the 24-hour window had closed');
    assert.equal(freeEntryOpenedAt(adAt, { queuedAt: adAt + 60_000, reported: 'failed' }), null, 'Twilio refused it');
    assert.equal(freeEntryOpenedAt(adAt, { queuedAt: adAt + 60_000, reported: 'undelivered' }), null, 'WhatsApp refused it');
    assert.equal(freeEntryOpenedAt(null, { queuedAt: adAt + 60_000, reported: 'delivered' }), null, 'not without a referral');
  });
});

// Rules the relay and the panel share from @wcp/protocol (the panel's counter, picker and typing use the same functions).
describe('shared WhatsApp rules', () => {
  it('counts a body as Twilio does, in UTF-16 units, against 1,600', () => {
    assert.equal(WHATSAPP_MAX_BODY_CHARS, 1600);
    assert.equal(whatsappBodyLength('héllo'), 5);
    assert.equal(whatsappBodyLength('😀'), 2);
  });

  it('sends only approved templates; one without a status was configured by hand and counts as approved', () => {
    assert.equal(isTemplateSendable({ status: 'approved' }), true);
    assert.equal(isTemplateSendable({}), true);
    assert.equal(isTemplateSendable({ status: 'pending' }), false);
    assert.equal(isTemplateSendable({ status: 'rejected' }), false);
  });

  it('lets one typing indicator through per conversation every 20 seconds', () => {
    const throttle = new TypingThrottle();
    assert.equal(throttle.take('c1', 0), true);
    assert.equal(throttle.take('c1', 19_999), false);
    assert.equal(throttle.take('c2', 5_000), true);
    assert.equal(throttle.take('c1', 20_000), true);
    assert.equal(throttle.take('c1', 30_000), false);
  });
});
