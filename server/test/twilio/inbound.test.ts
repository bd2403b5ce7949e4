import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseInboundMessage, parseStatusCallback, MAX_INBOUND_BODY_CHARS } from '../../src/twilio/inbound.ts';
import type { WebhookParams } from '../../src/twilio/signature.ts';

const ACCOUNT = 'AC' + '0123456789abcdef'.repeat(2);
const SM = 'SM' + 'f'.repeat(32);
const MM = 'MM' + '1a2b3c4d'.repeat(4);

// Shaped like a real Twilio WhatsApp incoming-message webhook (all fields Twilio sends).
const TEXT_WEBHOOK: WebhookParams = {
  SmsMessageSid: SM,
  NumMedia: '0',
  ProfileName: 'Ana Souza',
  MessageType: 'text',
  SmsSid: SM,
  WaId: '5511987654321',
  SmsStatus: 'received',
  Body: 'Olá! My order #123 hasn’t arrived',
  To: 'whatsapp:+14155238886',
  NumSegments: '1',
  ReferralNumMedia: '0',
  MessageSid: SM,
  AccountSid: ACCOUNT,
  From: 'whatsapp:+5511987654321',
  ApiVersion: '2010-04-01',
};

const mediaUrl = (n: number) =>
  `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages/${MM}/Media/ME${String(n).repeat(32)}`;

const MEDIA_WEBHOOK: WebhookParams = {
  ...TEXT_WEBHOOK,
  MessageSid: MM,
  SmsMessageSid: MM,
  SmsSid: MM,
  MessageType: 'image',
  Body: '',
  NumMedia: '2',
  MediaContentType0: 'image/jpeg',
  MediaUrl0: mediaUrl(0),
  MediaContentType1: 'application/pdf',
  MediaUrl1: mediaUrl(1),
};

function reasonOf(result: ReturnType<typeof parseInboundMessage> | ReturnType<typeof parseStatusCallback>): string {
  assert.equal(result.ok, false, 'expected the input to be refused');
  return result.ok ? '' : result.reason;
}

describe('parseInboundMessage', () => {
  it('parses a text message', () => {
    const result = parseInboundMessage(TEXT_WEBHOOK);
    assert.deepEqual(result, {
      ok: true,
      value: {
        messageSid: SM,
        accountSid: ACCOUNT,
        from: '+5511987654321',
        to: '+14155238886',
        body: 'Olá! My order #123 hasn’t arrived',
        profileName: 'Ana Souza',
        waId: '5511987654321',
        media: [],
        originalRepliedMessageSid: null,
        buttonPayload: null,
        buttonText: null,
        messageType: 'text',
        location: null,
        forwarded: false,
        referral: null,
        raw: TEXT_WEBHOOK,
      },
    });
  });

  it('reads a shared location with Twilio\'s Latitude, Longitude, Address and Label', () => {
    const result = parseInboundMessage({ ...TEXT_WEBHOOK, MessageType: 'location', Body: '', Latitude: '-23.5613', Longitude: '-46.6565', Address: 'Av. Paulista, 1578', Label: 'MASP' });
    assert.ok(result.ok);
    assert.deepEqual(result.value.location, { latitude: -23.5613, longitude: -46.6565, address: 'Av. Paulista, 1578', label: 'MASP' });
    const bare = parseInboundMessage({ ...TEXT_WEBHOOK, MessageType: 'location', Body: '', Latitude: '51.5', Longitude: '-0.12' });
    assert.ok(bare.ok);
    assert.deepEqual(bare.value.location, { latitude: 51.5, longitude: -0.12, address: null, label: null });
  });

  it('refuses a location out of range or half given', () => {
    assert.match(reasonOf(parseInboundMessage({ ...TEXT_WEBHOOK, Latitude: '91', Longitude: '0' })), /Latitude/);
    assert.match(reasonOf(parseInboundMessage({ ...TEXT_WEBHOOK, Latitude: '10' })), /Longitude/);
    assert.match(reasonOf(parseInboundMessage({ ...TEXT_WEBHOOK, Latitude: 'north', Longitude: '0' })), /Latitude/);
  });

  it('reads a Click-to-WhatsApp referral and forwarded marks', () => {
    const result = parseInboundMessage({
      ...TEXT_WEBHOOK,
      Forwarded: 'true',
      ReferralSourceType: 'ad',
      ReferralSourceUrl: 'https://fb.me/abc',
      ReferralHeadline: 'Spring sale',
      ReferralBody: '20% off',
      ReferralCtwaClid: 'ARAkLkA8rmlFeiCk',
      ReferralSourceId: '1234',
    });
    assert.ok(result.ok);
    assert.deepEqual(result.value.referral, { sourceType: 'ad', sourceUrl: 'https://fb.me/abc', headline: 'Spring sale', body: '20% off', ctwaClid: 'ARAkLkA8rmlFeiCk' });
    assert.equal(result.value.forwarded, true);
    const frequently = parseInboundMessage({ ...TEXT_WEBHOOK, FrequentlyForwarded: 'true' });
    assert.ok(frequently.ok && frequently.value.forwarded);
  });

  it('parses media in order, body empty', () => {
    const result = parseInboundMessage(MEDIA_WEBHOOK);
    assert.ok(result.ok);
    assert.equal(result.value.messageSid, MM);
    assert.equal(result.value.body, '');
    assert.deepEqual(result.value.media, [
      { url: mediaUrl(0), contentType: 'image/jpeg' },
      { url: mediaUrl(1), contentType: 'application/pdf' },
    ]);
  });

  it('reads a reply-to quote and a quick-reply button tap', () => {
    const result = parseInboundMessage({
      ...TEXT_WEBHOOK,
      MessageType: 'button',
      Body: 'Yes, reschedule',
      ButtonText: 'Yes, reschedule',
      ButtonPayload: 'reschedule:42',
      OriginalRepliedMessageSender: 'whatsapp:+14155238886',
      OriginalRepliedMessageSid: 'SM' + 'e'.repeat(32),
    });
    assert.ok(result.ok);
    assert.equal(result.value.buttonPayload, 'reschedule:42');
    assert.equal(result.value.buttonText, 'Yes, reschedule');
    assert.equal(result.value.originalRepliedMessageSid, 'SM' + 'e'.repeat(32));
  });

  it('treats a missing Body, NumMedia, ProfileName and WaId as empty', () => {
    const { Body: _b, NumMedia: _n, ProfileName: _p, WaId: _w, ...rest } = TEXT_WEBHOOK;
    const result = parseInboundMessage(rest);
    assert.ok(result.ok);
    assert.equal(result.value.body, '');
    assert.deepEqual(result.value.media, []);
    assert.equal(result.value.profileName, null);
    assert.equal(result.value.waId, null);
  });

  describe('refuses with a reason', () => {
    const cases: [string, WebhookParams, RegExp][] = [
      ['missing MessageSid', { ...TEXT_WEBHOOK, MessageSid: undefined }, /MessageSid is missing/],
      ['a call SID', { ...TEXT_WEBHOOK, MessageSid: 'CA' + 'f'.repeat(32) }, /MessageSid/],
      ['a short SID', { ...TEXT_WEBHOOK, MessageSid: 'SM' + 'f'.repeat(31) }, /MessageSid/],
      ['a non-hex SID', { ...TEXT_WEBHOOK, MessageSid: 'SM' + 'g'.repeat(32) }, /MessageSid/],
      ['a repeated MessageSid', { ...TEXT_WEBHOOK, MessageSid: [SM, SM] }, /MessageSid appears more than once/],
      ['a bad AccountSid', { ...TEXT_WEBHOOK, AccountSid: 'ACnope' }, /AccountSid/],
      ['missing From', { ...TEXT_WEBHOOK, From: undefined }, /From is missing/],
      ['missing To', { ...TEXT_WEBHOOK, To: '' }, /To is missing/],
      ['an SMS From', { ...TEXT_WEBHOOK, From: '+5511987654321' }, /From is not a whatsapp:\+E\.164/],
      ['a From without +', { ...TEXT_WEBHOOK, From: 'whatsapp:5511987654321' }, /From/],
      ['a From with spaces', { ...TEXT_WEBHOOK, From: 'whatsapp:+55 11 98765 4321' }, /From/],
      ['a To on another channel', { ...TEXT_WEBHOOK, To: 'messenger:+14155238886' }, /To is not/],
      ['NumMedia not a number', { ...TEXT_WEBHOOK, NumMedia: 'two' }, /NumMedia must be an integer from 0 to 10/],
      ['NumMedia negative', { ...TEXT_WEBHOOK, NumMedia: '-1' }, /NumMedia/],
      ['NumMedia fractional', { ...TEXT_WEBHOOK, NumMedia: '1.5' }, /NumMedia/],
      ['NumMedia over 10', { ...TEXT_WEBHOOK, NumMedia: '11' }, /NumMedia/],
      ['a missing MediaUrl1', { ...MEDIA_WEBHOOK, MediaUrl1: undefined }, /MediaUrl1 and MediaContentType1 are required/],
      ['a missing MediaContentType0', { ...MEDIA_WEBHOOK, MediaContentType0: undefined }, /MediaContentType0/],
      ['a non-http MediaUrl', { ...MEDIA_WEBHOOK, MediaUrl0: 'file:///etc/passwd' }, /MediaUrl0 is not an http\(s\) URL/],
      ['a body too long', { ...TEXT_WEBHOOK, Body: 'x'.repeat(MAX_INBOUND_BODY_CHARS + 1) }, /Body is longer than 16384/],
    ];
    for (const [name, params, reason] of cases) {
      it(name, () => assert.match(reasonOf(parseInboundMessage(params)), reason));
    }
  });

  it('accepts a body exactly at the limit and NumMedia 10', () => {
    assert.ok(parseInboundMessage({ ...TEXT_WEBHOOK, Body: 'x'.repeat(MAX_INBOUND_BODY_CHARS) }).ok);
    const ten: WebhookParams = { ...TEXT_WEBHOOK, NumMedia: '10' };
    for (let n = 0; n < 10; n += 1) {
      ten[`MediaUrl${n}`] = mediaUrl(n);
      ten[`MediaContentType${n}`] = 'image/png';
    }
    const result = parseInboundMessage(ten);
    assert.ok(result.ok);
    assert.equal(result.value.media.length, 10);
  });
});

// Shaped like Twilio's WhatsApp status callbacks.
const STATUS_CALLBACK: WebhookParams = {
  ChannelPrefix: 'whatsapp',
  ApiVersion: '2010-04-01',
  MessageStatus: 'delivered',
  SmsSid: SM,
  SmsStatus: 'delivered',
  ChannelInstallSid: 'XE' + 'a'.repeat(32),
  To: 'whatsapp:+5511987654321',
  From: 'whatsapp:+14155238886',
  MessageSid: SM,
  AccountSid: ACCOUNT,
  ChannelToAddress: '+55119876XXXXX',
};

describe('parseStatusCallback', () => {
  it('parses a delivered callback', () => {
    assert.deepEqual(parseStatusCallback(STATUS_CALLBACK), {
      ok: true,
      value: {
        messageSid: SM,
        status: 'delivered',
        errorCode: null,
        errorMessage: null,
        to: '+5511987654321',
        from: '+14155238886',
      },
    });
  });

  it('parses a failed callback with its error', () => {
    const result = parseStatusCallback({
      ...STATUS_CALLBACK,
      MessageStatus: 'failed',
      SmsStatus: 'failed',
      ErrorCode: '63016',
      ErrorMessage: 'Failed to send freeform message because you are outside the allowed window.',
    });
    assert.ok(result.ok);
    assert.equal(result.value.status, 'failed');
    assert.equal(result.value.errorCode, 63016);
    assert.match(result.value.errorMessage ?? '', /outside the allowed window/);
  });

  it("folds Twilio's extra statuses into ours", () => {
    const expected: Record<string, string> = {
      accepted: 'queued',
      scheduled: 'queued',
      queued: 'queued',
      sending: 'sending',
      sent: 'sent',
      delivered: 'delivered',
      read: 'read',
      failed: 'failed',
      undelivered: 'undelivered',
      canceled: 'failed',
    };
    for (const [twilioStatus, ours] of Object.entries(expected)) {
      const result = parseStatusCallback({ ...STATUS_CALLBACK, MessageStatus: twilioStatus });
      assert.ok(result.ok, twilioStatus);
      assert.equal(result.value.status, ours, twilioStatus);
    }
  });

  it('falls back to SmsStatus and tolerates absent To/From', () => {
    const result = parseStatusCallback({ MessageSid: SM, SmsStatus: 'sent' });
    assert.deepEqual(result, {
      ok: true,
      value: { messageSid: SM, status: 'sent', errorCode: null, errorMessage: null, to: null, from: null },
    });
  });

  describe('refuses with a reason', () => {
    const cases: [string, WebhookParams, RegExp][] = [
      ['missing MessageSid', { ...STATUS_CALLBACK, MessageSid: undefined }, /MessageSid is missing/],
      ['a bad MessageSid', { ...STATUS_CALLBACK, MessageSid: 'SMxyz' }, /MessageSid is not/],
      ['missing status', { MessageSid: SM }, /MessageStatus is missing/],
      ['an inbound status', { ...STATUS_CALLBACK, MessageStatus: 'received' }, /"received" is not an outbound/],
      ['an unknown status', { ...STATUS_CALLBACK, MessageStatus: 'exploded' }, /"exploded"/],
      ['a prototype key as status', { ...STATUS_CALLBACK, MessageStatus: 'constructor' }, /"constructor"/],
      ['a non-numeric ErrorCode', { ...STATUS_CALLBACK, ErrorCode: '63016abc' }, /ErrorCode is not a number/],
      ['a malformed To', { ...STATUS_CALLBACK, To: 'whatsapp:12345' }, /To is not/],
    ];
    for (const [name, params, reason] of cases) {
      it(name, () => assert.match(reasonOf(parseStatusCallback(params)), reason));
    }
  });
});
