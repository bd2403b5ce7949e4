import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { makeMessage, makeOffer } from '../test/fixtures.js';
import type { AcceptOfferEvent } from '../events/accept-offer-event.js';
import type { RejectOfferEvent } from '../events/reject-offer-event.js';
import './wcp-incoming.js';

const shadowText = (el: Element) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
const button = (el: Element, name: string) =>
  [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === name)!;

describe('wcp-incoming', () => {
  it('shows an authenticated customer by CRM name with the first message and a countdown', async () => {
    const conversation = makeOffer();
    const el = await fixture(html`<wcp-incoming
      .conversation=${conversation}
      .firstMessage=${makeMessage({ body: 'My router is broken' })}
      .contact=${{ id: 'c1', fullName: 'Ana García' }}
    ></wcp-incoming>`);
    const dialog = el.shadowRoot!.querySelector('[role="alertdialog"]')!;
    expect(dialog.getAttribute('aria-label')).to.equal('Incoming WhatsApp conversation');
    expect(shadowText(el)).to.contain('Ana García');
    expect(shadowText(el)).to.contain('Authenticated');
    expect(shadowText(el)).to.contain('My router is broken');
    expect(shadowText(el)).to.match(/Expires in (1:00|0:5\d)/);
    await expect(el).to.be.accessible();
  });

  it('shows the WhatsApp profile name and number for an unknown customer', async () => {
    const el = await fixture(html`<wcp-incoming .conversation=${makeOffer()} .firstMessage=${null}></wcp-incoming>`);
    expect(shadowText(el)).to.contain('Ana WhatsApp');
    expect(shadowText(el)).to.contain('+14155550100');
    expect(shadowText(el)).not.to.contain('Authenticated');
    await expect(el).to.be.accessible();
  });

  it('says who transferred the conversation and shows their note as text, never as HTML', async () => {
    const note = '<img src=x onerror="window.pwned=1"> Wants a refund,\nsee order 1182';
    const el = await fixture(html`<wcp-incoming
      .conversation=${makeOffer()}
      .transfer=${{ fromAgentId: 'agent-1', fromAgentName: 'Alex Morgan', note }}
    ></wcp-incoming>`);
    expect(el.shadowRoot!.querySelector('.transferred-by')!.textContent).to.equal('Transferred by Alex Morgan');
    const shown = el.shadowRoot!.querySelector('.transfer-note')!;
    expect(shown.textContent).to.equal(note);
    expect(shown.querySelector('img')).to.equal(null);
    // Screen readers hear who and why with the notification.
    const dialog = el.shadowRoot!.querySelector('[role="alertdialog"]')!;
    expect(dialog.getAttribute('aria-describedby')!.split(' ')).to.include('transfer');
    await expect(el).to.be.accessible();
  });

  it('shows no transfer line for a new conversation', async () => {
    const el = await fixture(html`<wcp-incoming .conversation=${makeOffer()}></wcp-incoming>`);
    expect(shadowText(el)).not.to.contain('Transferred by');
  });

  it('raises accept and reject with the conversation id', async () => {
    const el = await fixture(html`<wcp-incoming .conversation=${makeOffer({ id: 'conv-7' })}></wcp-incoming>`);
    setTimeout(() => button(el, 'Accept').click());
    const accepted = (await oneEvent(el, 'wcp-accept-offer')) as AcceptOfferEvent;
    expect(accepted.conversationId).to.equal('conv-7');
    setTimeout(() => button(el, 'Reject').click());
    const rejected = (await oneEvent(el, 'wcp-reject-offer')) as RejectOfferEvent;
    expect(rejected.conversationId).to.equal('conv-7');
    await expect(el).to.be.accessible();
  });

  it('disables Accept once the offer has expired', async () => {
    const offer = makeOffer();
    offer.offer = { agentId: 'agent-1', expiresAt: new Date(Date.now() - 1000).toISOString() };
    const el = await fixture(html`<wcp-incoming .conversation=${offer}></wcp-incoming>`);
    expect(button(el, 'Accept').disabled).to.equal(true);
    expect(shadowText(el)).to.contain('Offer expired');
    await expect(el).to.be.accessible();
  });
});
