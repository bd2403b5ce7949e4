import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTwilioError } from '../../src/twilio/errors.ts';
import { WINDOW_EXPIRED_MESSAGE } from '@wcp/protocol';

describe('describeTwilioError', () => {
  it('maps 63016 to the 24-hour window message the panel shows', () => {
    assert.deepEqual(describeTwilioError(63016, 400), { message: WINDOW_EXPIRED_MESSAGE, retryable: false, windowClosed: true });
  });

  it('retries rate limits, server errors and unreachable Twilio', () => {
    for (const [code, status] of [[20429, 429], [63018, undefined], [null, 429], [null, 500], [null, 503], [99999, 502], [null, undefined]] as const) {
      const described = describeTwilioError(code, status);
      assert.equal(described.retryable, true, `${code}/${status}`);
      assert.equal(described.windowClosed, false);
    }
  });

  it('does not retry what another attempt cannot fix', () => {
    for (const code of [20003, 21211, 21610, 21614, 63003, 63019, 63024, 63032, 30003, 30004, 30005, 30006, 30007, 30008]) {
      const described = describeTwilioError(code, 400);
      assert.equal(described.retryable, false, String(code));
      assert.equal(described.windowClosed, false, String(code));
    }
  });

  it("uses Twilio's own wording for the agent", () => {
    assert.match(describeTwilioError(63018).message, /^Rate limit exceeded for Channel/);
    assert.match(describeTwilioError(63019).message, /^Media failed to download/);
    assert.match(describeTwilioError(63024).message, /^Invalid message recipient/);
    assert.match(describeTwilioError(21211).message, /^Invalid 'To' Phone Number/);
    assert.match(describeTwilioError(63003).message, /^Channel could not find To address/);
    assert.match(describeTwilioError(21610).message, /opted out/);
    assert.match(describeTwilioError(20003, 401).message, /TWILIO_AUTH_TOKEN/);
    assert.match(describeTwilioError(30007).message, /^Message filtered/);
  });

  it('names an unknown code or status rather than inventing a cause', () => {
    assert.deepEqual(describeTwilioError(12345, 400), {
      message: 'Twilio could not send this message (error 12345).',
      retryable: false,
      windowClosed: false,
    });
    assert.equal(describeTwilioError(null, 404).message, 'Twilio could not send this message (HTTP 404).');
  });
});
