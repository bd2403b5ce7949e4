/**
 * Issue 15, inbound: every kind of WhatsApp message a customer sends reaches the agent's panel
 * shown for what it is. The relay runs with a Twilio account (a local fake of Twilio's API),
 * and each message arrives as Twilio would post it: a signed webhook with Twilio's parameter
 * names. The agent's demo panel is then searched by role and accessible name.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { agentApi } from './support/api.ts';
import {
  agentMessage,
  agentSend,
  customerSend,
  errorsOf,
  hidden,
  incoming,
  launchBrowser,
  newPerson,
  openAgent,
  openPhone,
  phoneMessage,
  screenshot,
  setPresence,
  transcript,
  until,
  visible,
} from './support/browser.ts';
import { ensureBuilt, removeDir, startRelay, tempDataDir, type RelayProcess } from './support/relay.ts';
import { startFakeTwilio, type FakeTwilioProcess } from './support/fake-twilio.ts';
import { BUSINESS_NUMBER, inboundParams, postWebhook, startTwilioModeRelay, twilioSid } from './support/twilio.ts';

const CUSTOMER = '+447700900515';
const PROFILE = 'Priya Shah';

describe('message kinds: each WhatsApp kind, sent as Twilio sends it, shown in the panel', () => {
  const dataDir = tempDataDir();
  let relay: RelayProcess;
  let twilio: FakeTwilioProcess;
  let publicUrl: string;
  let browser: Browser;
  let agent: Page;
  const firstSid = twilioSid('SM');

  const customerSends = async (extra: Record<string, string>) => {
    assert.equal(await postWebhook(twilio, publicUrl, '/twilio/inbound', inboundParams(twilio, CUSTOMER, PROFILE, extra)), 200, JSON.stringify(extra));
  };

  before(async () => {
    ensureBuilt();
    twilio = await startFakeTwilio();
    [relay, browser] = await Promise.all([
      startTwilioModeRelay(dataDir, twilio),
      launchBrowser(),
    ]);
    publicUrl = relay.base;
    agent = (await newPerson(browser)).page;
    await openAgent(agent, relay.base, 'agent-1');
    await setPresence(agent, 'Available');
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
    await twilio?.stop();
    removeDir(dataDir);
  });

  it('a customer who came from an ad: the panel shows the ad and the free entry point', async () => {
    await customerSends({
      MessageSid: firstSid,
      SmsSid: firstSid,
      SmsMessageSid: firstSid,
      Body: 'Hi! I saw your ad, is the sale still on?',
      ReferralSourceType: 'ad',
      ReferralSourceId: '120200000000000',
      ReferralSourceUrl: 'https://fb.me/contoso-spring-sale',
      ReferralHeadline: 'Spring sale: 20% off',
      ReferralBody: 'Everything in store until Sunday.',
      ReferralCtwaClid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
      ReferralNumMedia: '0',
    });
    const offer = await visible(incoming(agent));
    await offer.getByRole('button', { name: 'Accept' }).click();
    await hidden(incoming(agent));
    await visible(agentMessage(agent, 'is the sale still on?'));
    await visible(agent.getByText('Came from an ad: Spring sale: 20% off'));
    assert.equal(await agent.getByRole('link', { name: 'View the ad' }).getAttribute('href'), 'https://fb.me/contoso-spring-sale');
    await visible(agent.getByText('72 h of free messages start with your first reply before'));
  });

  it('location, contact card, button tap, reaction, poll, forwarded message, quoted reply and voice note each show for what they are', async () => {
    const vcard = ['BEGIN:VCARD', 'VERSION:3.0', 'N:Lima;Bruno;;;', 'FN:Bruno Lima', 'TEL;type=CELL;waid=5511912345678:+55 11 91234-5678', 'END:VCARD'].join('\r\n');
    // An Ogg stream's first page header: enough for the relay and the panel to pass it on as audio.
    const voice = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0x00, 0x02, ...new Array(58).fill(0)]);
    await customerSends({ MessageType: 'location', Latitude: '51.5033', Longitude: '-0.1196', Address: 'Riverside Building, County Hall, London SE1 7PB', Label: 'London Eye' });
    await customerSends({ MessageType: 'contacts', NumMedia: '1', MediaUrl0: await twilio.media('text/vcard', vcard), MediaContentType0: 'text/vcard' });
    await customerSends({ MessageType: 'button', Body: 'Track my order', ButtonText: 'Track my order', ButtonPayload: 'track_order' });
    await customerSends({ MessageType: 'reaction', Body: '' });
    await customerSends({ MessageType: 'poll', Body: '' });
    await customerSends({ Body: 'Contoso doubles loyalty points this week!', Forwarded: 'true' });
    await customerSends({ Body: 'Sorry, to be clear: this one', OriginalRepliedMessageSid: firstSid });
    await customerSends({ MessageType: 'audio', NumMedia: '1', MediaUrl0: await twilio.media('audio/ogg', voice), MediaContentType0: 'audio/ogg' });

    const log = transcript(agent);
    const location = await visible(log.getByRole('group', { name: 'Location: London Eye' }));
    assert.match(await location.innerText(), /Riverside Building, County Hall/);
    assert.equal(await location.getByRole('link', { name: 'Open in map' }).getAttribute('href'), 'https://www.openstreetmap.org/?mlat=51.5033&mlon=-0.1196#map=16/51.5033/-0.1196');

    const contact = await visible(log.getByRole('group', { name: 'Contact: Bruno Lima' }));
    assert.match(await contact.innerText(), /\+55 11 91234.5678/);
    await visible(contact.getByRole('button', { name: 'Start WhatsApp conversation' }));

    await visible(log.getByText('Chose: Track my order'));
    await visible(log.getByText('The customer sent a reaction, which the panel cannot show.'));
    await visible(log.getByText('The customer sent a WhatsApp message the panel cannot show (poll).'));
    await visible(agentMessage(agent, 'Contoso doubles loyalty points').getByText('Forwarded', { exact: true }));
    await visible(log.locator('audio[controls]').and(agent.getByLabel('Audio: audio/ogg')));
    await screenshot(agent, 'message-kinds-transcript');

    // The quote names who wrote the original and leads to it.
    const quote = await visible(agentMessage(agent, 'this one').getByRole('button', { name: /Replying to:.*Priya Shah.*is the sale still on\?/ }));
    await quote.click();
    await visible(log.locator('.row.highlighted').filter({ hasText: 'is the sale still on?' }));

    // Create contact goes to the demo CRM through the panel.
    await contact.getByRole('button', { name: 'Create contact' }).click();
    await visible(agent.getByRole('alert').filter({ hasText: 'Contact created in the CRM: Bruno Lima.' }));
    assert.deepEqual(errorsOf(agent), []);
  });

  it("an undelivered reply says what happened and what to do, and the ad's free entry point starts counting", async () => {
    await agentSend(agent, 'Yes, until Sunday!');
    const sent = await until('the relay sent the reply to Twilio', async () => (await twilio.sent()).find((m) => m.body === 'Yes, until Sunday!'));
    const statusUrl = sent.statusCallback!;
    assert.ok(statusUrl.startsWith(`${publicUrl}/twilio/status`), statusUrl);
    const status = await postWebhook(twilio, statusUrl, '', {
      MessageSid: sent.sid,
      SmsSid: sent.sid,
      AccountSid: twilio.accountSid,
      MessageStatus: 'undelivered',
      SmsStatus: 'undelivered',
      ErrorCode: '63024',
      From: `whatsapp:${BUSINESS_NUMBER}`,
      To: `whatsapp:${CUSTOMER}`,
      ApiVersion: '2010-04-01',
    });
    assert.equal(status, 200);
    const bubble = agentMessage(agent, 'Yes, until Sunday!');
    await visible(bubble.getByText("The customer's number is not an active WhatsApp account."));
    assert.equal(await bubble.getByRole('link', { name: 'Twilio error 63024' }).getAttribute('href'), 'https://www.twilio.com/docs/api/errors/63024');
    await visible(bubble.getByRole('button', { name: 'Retry' }));

    const conversation = (await (await agentApi(relay.base, 'agent-1')).conversations()).find((c) => c.customer.phone === CUSTOMER);
    assert.ok(conversation);
    await visible(agent.getByText(/Free entry point: 7[12] h( \d+ min)? left/), 15_000);
  });
});

describe('message kinds on the demo: the simulator phone quotes a message and taps an agent\'s quick-reply button', () => {
  const dataDir = tempDataDir();
  let relay: RelayProcess;
  let browser: Browser;
  let agent: Page;
  let phone: Page;

  before(async () => {
    ensureBuilt();
    [relay, browser] = await Promise.all([startRelay({ dataDir }), launchBrowser()]);
    agent = (await newPerson(browser)).page;
    phone = (await newPerson(browser, { width: 1000, height: 820 })).page;
    await openAgent(agent, relay.base, 'agent-1');
    await setPresence(agent, 'Available');
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
    removeDir(dataDir);
  });

  it("the tap shows as the customer's choice linked to the question, the quote links to what it answers", async () => {
    await openPhone(phone, relay.base, '+447700900516', 'Tom Reyes');
    await customerSend(phone, 'My parcel is late');
    await (await visible(incoming(agent))).getByRole('button', { name: 'Accept' }).click();
    await visible(agentMessage(agent, 'My parcel is late'));
    // The composer's button editor is another part of issue 15: the agent API sends the buttons here.
    const api = await agentApi(relay.base, 'agent-1');
    const conversation = (await api.conversations()).find((c) => c.customer.phone === '+447700900516')!;
    const sent = await fetch(`${relay.base}/api/v1/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Shall I send a new one?', buttons: [{ id: 'resend', title: 'Yes, resend' }, { id: 'wait', title: 'I will wait' }] }),
    });
    assert.equal(sent.status, 202);
    const question = agentMessage(agent, 'Shall I send a new one?');
    await visible(question.getByRole('list', { name: 'Quick-reply buttons' }));

    const offered = await visible(phoneMessage(phone, 'Shall I send a new one?').getByRole('group', { name: 'Quick-reply buttons' }));
    await offered.getByRole('button', { name: 'Yes, resend' }).click();
    await visible(transcript(agent).getByText('Chose: Yes, resend'));
    await visible(transcript(agent).getByRole('button', { name: /In answer to:.*Shall I send a new one\?/ }));

    await phoneMessage(phone, 'Shall I send a new one?').getByRole('button', { name: /^Reply to:/ }).click();
    await visible(phone.getByText('Replying to: Shall I send a new one?'));
    await customerSend(phone, 'Actually, please also refund the postage');
    await visible(agentMessage(agent, 'refund the postage').getByRole('button', { name: /Replying to:.*You.*Shall I send a new one\?/ }));
    await screenshot(agent, 'message-kinds-simulator-tap-and-quote');
    assert.deepEqual(errorsOf(agent), []);
    assert.deepEqual(errorsOf(phone), []);
  });

  it('every "More than text" button can be seen and pressed, on a wide screen as on a narrow one', async () => {
    await openPhone(phone, relay.base, '+447700900517', 'Ada Lowe');
    for (const viewport of [{ width: 1400, height: 900 }, { width: 1000, height: 820 }]) {
      await phone.setViewportSize(viewport);
      const card = (await phone.getByRole('group', { name: 'More than text' }).boundingBox())!;
      const handset = (await phone.locator('section.phone').boundingBox())!;
      for (const button of await phone.getByRole('group', { name: 'More than text' }).getByRole('button').all()) {
        const box = (await button.boundingBox())!;
        const name = await button.textContent();
        assert.ok(box.x >= card.x && box.x + box.width <= card.x + card.width + 0.5, `${name} inside its card at ${viewport.width} px`);
        const overlapsPhone = box.x < handset.x + handset.width && box.x + box.width > handset.x && box.y < handset.y + handset.height && box.y + box.height > handset.y;
        assert.ok(!overlapsPhone, `${name} not under the phone at ${viewport.width} px`);
      }
    }
  });
});

