import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { WcpWindowBanner } from './wcp-window-banner.js';
import './wcp-window-banner.js';
import { formatDateTime } from '../lib/time.js';
import { recordAnnouncements } from '../test/announcements.js';

const EXPIRED = 'This conversation has exceeded the 24 hour limit to respond to the customer.';
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const status = (el: WcpWindowBanner) => el.shadowRoot!.querySelector('[part="status"]')!;

describe('wcp-window-banner', () => {
  it('counts down the time left in the window', async () => {
    const el = await fixture<WcpWindowBanner>(html`<wcp-window-banner window-expires-at=${at(20 * 3600_000 + 5 * 60_000 + 30_000)}></wcp-window-banner>`);
    expect(status(el).textContent).to.contain('Reply window: 20 h 5 min left');
    expect(status(el).classList.contains('warning')).to.equal(false);
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('raises the alert the moment the window closes on screen', async () => {
    const el = await fixture<WcpWindowBanner>(html`<wcp-window-banner window-expires-at=${at(1200)}></wcp-window-banner>`);
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'), 'the alert once the clock passes the end', { timeout: 4000 });
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal(EXPIRED);
  });

  it('warns in the last hour with a live clock', async () => {
    const el = await fixture<WcpWindowBanner>(html`<wcp-window-banner window-expires-at=${at(10 * 60_000 + 3_500)}></wcp-window-banner>`);
    expect(status(el).classList.contains('warning')).to.equal(true);
    const first = status(el).textContent!;
    expect(first).to.match(/closes in 10:0[34]/);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(status(el).textContent).not.to.equal(first);
    await expect(el).to.be.accessible();
  });

  it('shows the exact alert and offers a template once the window is closed, before any attempt, and again at each attempt', async () => {
    const el = await fixture<WcpWindowBanner>(html`<wcp-window-banner window-expires-at=${at(-1000)}></wcp-window-banner>`);
    expect(status(el).textContent).to.contain('only templates');
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal(EXPIRED);
    el.expiredAttempts = 1;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal(EXPIRED);
    // The agent presses Send again: a screen reader must hear the alert again, not silence.
    const heard = recordAnnouncements(el.shadowRoot!);
    el.expiredAttempts = 2;
    await el.updateComplete;
    heard.stop();
    expect(heard.texts).to.deep.equal([EXPIRED]);
    const offer = el.shadowRoot!.querySelector<HTMLButtonElement>('.expired button')!;
    setTimeout(() => offer.click());
    await oneEvent(el, 'wcp-open-templates');
    await expect(el).to.be.accessible();
  });

  it('shows the ad a conversation came from and counts down its free entry point next to the 24-hour window', async () => {
    const referral = { sourceType: 'ad', sourceUrl: 'https://fb.me/contoso-spring-sale', headline: 'Spring sale: <b>20%</b> off', body: 'Until Sunday', ctwaClid: 'ARA1' };
    const replyBy = at(20 * 3600_000 + 30_000);
    const el = await fixture<WcpWindowBanner>(
      html`<wcp-window-banner window-expires-at=${at(20 * 3600_000 + 30_000)} .referral=${referral} free-entry-reply-by=${replyBy}></wcp-window-banner>`,
    );
    const box = el.shadowRoot!.querySelector('[part="referral"]')!;
    expect(box.textContent).to.contain('Came from an ad: Spring sale: <b>20%</b> off');
    expect(box.querySelector('b')).to.equal(null);
    const link = box.querySelector('a')!;
    expect(link.textContent).to.equal('View the ad');
    expect(link.getAttribute('href')).to.equal('https://fb.me/contoso-spring-sale');
    expect(link.getAttribute('rel')).to.contain('noopener');
    expect(box.textContent).to.contain(`72 h of free messages start with your first reply before ${formatDateTime(replyBy)}.`);

    // The reply opened it: the relay sets its end and has nothing left to open.
    el.freeEntryReplyBy = null;
    el.freeEntryExpiresAt = at(71 * 3600_000 + 30 * 60_000 + 30_000);
    await el.updateComplete;
    expect(box.textContent).to.contain('Free entry point: 71 h 30 min left');
    expect(status(el).textContent).to.contain('Reply window: 20 h');
    el.freeEntryExpiresAt = at(-1000);
    await el.updateComplete;
    expect(box.textContent).to.contain('Free entry point ended.');
    await expect(el).to.be.accessible();
  });

  // Meta opens the free entry point only for a reply within 24 hours of the ad's message; the relay says until when.
  it('stops promising free messages once a first reply can no longer open them, also when that moment passes while shown', async () => {
    const referral = { sourceType: 'ad', sourceUrl: null, headline: 'Spring sale', body: null, ctwaClid: null };
    const box = (el: WcpWindowBanner) => el.shadowRoot!.querySelector('[part="referral"]')!;
    const el = await fixture<WcpWindowBanner>(html`<wcp-window-banner .referral=${referral} free-entry-reply-by=${at(1500)}></wcp-window-banner>`);
    expect(box(el).textContent).to.contain('72 h of free messages start with your first reply before');
    // No one touches the banner: its own clock takes the promise away.
    await waitUntil(() => !box(el).textContent!.includes('Free entry point'), 'promise withdrawn when the moment passed', { timeout: 4000 });
    expect(box(el).textContent).to.contain('Came from an ad: Spring sale');
    expect(box(el).querySelector('.free-entry')).to.equal(null);
    await expect(el).to.be.accessible();

    const late = await fixture<WcpWindowBanner>(html`<wcp-window-banner .referral=${referral} free-entry-reply-by=${at(-60_000)}></wcp-window-banner>`);
    expect(box(late).textContent).to.contain('Came from an ad');
    expect(box(late).textContent).not.to.contain('Free entry point');
  });

  it('shows no ad and no free entry clock for a conversation that did not come from one, and no link for a non-web URL', async () => {
    const el = await fixture<WcpWindowBanner>(html`<wcp-window-banner window-expires-at=${at(3600_000 * 5)}></wcp-window-banner>`);
    expect(el.shadowRoot!.querySelector('[part="referral"]')).to.equal(null);
    el.referral = { sourceType: 'ad', sourceUrl: 'javascript:alert(1)', headline: null, body: null, ctwaClid: null };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="referral"]')!.textContent).to.contain('Came from an ad');
    expect(el.shadowRoot!.querySelector('[part="referral"] a')).to.equal(null);
  });
});
