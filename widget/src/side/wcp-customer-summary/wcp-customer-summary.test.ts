import { expect, fixture, html } from '@open-wc/testing';
import { OpenConversationEvent } from '../../events/index.js';
import { aggregateSentiment } from '../sentiment/sentiment.js';
import { conversation, customer, customerSays, maria } from '../shared/test-fixtures.js';
import { button, nextEvent } from '../shared/test-helpers.js';
import './wcp-customer-summary.js';
import type { CustomerSummaryElement } from './wcp-customer-summary.js';

const text = (el: Element) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');

describe('wcp-customer-summary', () => {
  it('shows an authenticated contact with details and the WhatsApp profile', async () => {
    const el = await fixture<CustomerSummaryElement>(
      html`<wcp-customer-summary .customer=${customer} .contact=${maria}></wcp-customer-summary>`,
    );
    expect(el.shadowRoot!.querySelector('.who')!.textContent).to.contain('Maria Campbell');
    expect(el.shadowRoot!.querySelector('.auth')!.textContent!.trim()).to.equal('Authenticated');
    const details = [...el.shadowRoot!.querySelectorAll('dt')].map((dt) => `${dt.textContent}: ${dt.nextElementSibling!.textContent}`);
    expect(details).to.include.members(['Email: maria.campbell@example.com', 'Account: Contoso Pharmaceuticals']);
    expect(text(el)).to.contain('Profile name Maria C');
    expect(text(el)).to.contain('Number +14155550100');
    await expect(el).to.be.accessible();
  });

  it('shows an unknown customer by WhatsApp profile, never as HTML', async () => {
    const hostile = { ...customer, profileName: '<img src=x onerror=alert(1)>' };
    const el = await fixture<CustomerSummaryElement>(html`<wcp-customer-summary .customer=${hostile}></wcp-customer-summary>`);
    expect(text(el)).to.contain('Unknown customer');
    expect(text(el)).to.contain('Not authenticated');
    expect(text(el)).to.contain('<img src=x onerror=alert(1)>');
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('says how each previous conversation ended: its disposition and summary', async () => {
    const previous = [
      conversation({ id: 'conv-done', state: 'closed', disposition: 'follow-up', summary: 'Call back about the refund' }),
      conversation({ id: 'conv-auto', state: 'closed', disposition: 'auto-closed', summary: null, createdAt: '2025-09-01T09:00:00.000Z' }),
      conversation({ id: 'conv-1' }),
    ];
    const el = await fixture<CustomerSummaryElement>(
      html`<wcp-customer-summary .previousConversations=${previous} currentConversationId="conv-1"></wcp-customer-summary>`,
    );
    const items = [...el.shadowRoot!.querySelectorAll('[part="previous"] button')].map((b) => b.textContent!.replace(/\s+/g, ' ').trim());
    expect(items[0]).to.contain('Closed · Follow-up needed · Call back about the refund');
    expect(items[1]).to.contain('Closed · Auto-closed');
    await expect(el).to.be.accessible();
  });

  it('lists previous conversations newest first, without the current one, and opens one', async () => {
    const previous = [
      conversation({ id: 'conv-old', state: 'closed', createdAt: '2025-10-01T09:00:00.000Z' }),
      conversation({
        id: 'conv-newer',
        state: 'closed',
        createdAt: '2025-11-02T09:00:00.000Z',
        linkedRecord: { entityType: 'incident', id: 'i-1', name: 'Parcel arrived damaged' },
      }),
      conversation({ id: 'conv-1' }),
    ];
    const el = await fixture<CustomerSummaryElement>(
      html`<wcp-customer-summary .previousConversations=${previous} currentConversationId="conv-1"></wcp-customer-summary>`,
    );
    const items = [...el.shadowRoot!.querySelectorAll('[part="previous"] button')];
    expect(items).to.have.length(2);
    expect(items[0]!.querySelector('time')!.getAttribute('datetime')).to.equal('2025-11-02T09:00:00.000Z');
    expect(items[0]!.textContent).to.contain('Closed · Parcel arrived damaged');
    const raised = nextEvent(el, 'wcp-open-conversation');
    (items[1] as HTMLButtonElement).click();
    const event = await raised;
    expect(event).to.be.instanceOf(OpenConversationEvent);
    expect(event.conversationId).to.equal('conv-old');
    await expect(el).to.be.accessible();
  });

  it('shows the linked record with Open and Unlink, and the sentiment', async () => {
    const linked = { entityType: 'incident', id: 'i-1', name: 'Parcel arrived damaged' };
    const sentiment = aggregateSentiment(customerSays('I am not happy with the delay.'));
    const el = await fixture<CustomerSummaryElement>(
      html`<wcp-customer-summary .linkedRecord=${linked} .sentiment=${sentiment}></wcp-customer-summary>`,
    );
    expect(el.shadowRoot!.querySelector('[part="linked-record"]')!.textContent).to.contain('Case');
    const opened = nextEvent(el, 'wcp-open-record');
    button(el, 'Open Parcel arrived damaged').click();
    expect((await opened).record).to.deep.equal(linked);
    const unlinked = nextEvent(el, 'wcp-unlink-record');
    button(el, 'Unlink Parcel arrived damaged').click();
    expect((await unlinked).record).to.deep.equal(linked);
    const sentimentEl = el.shadowRoot!.querySelector('wcp-sentiment')!;
    await sentimentEl.updateComplete;
    expect(sentimentEl.shadowRoot!.textContent).to.contain('Negative');
    expect(text(el)).to.contain('No previous conversations.');
    await expect(el).to.be.accessible();
  });
});

describe('wcp-customer-summary in a right-to-left panel', () => {
  /** Where the "+" of a phone number is drawn against its last digit: on its left when read as written. */
  function plusIsLeftOfLastDigit(dd: Element): boolean {
    const walker = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
    const node = walker.nextNode() as Text;
    const at = (index: number) => {
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      return range.getBoundingClientRect().left;
    };
    const text = node.data;
    return at(text.indexOf('+')) < at(text.length - 1);
  }

  it('shows phone numbers left to right, the plus first, as they are written', async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<div dir="rtl"><wcp-customer-summary .customer=${customer} .contact=${{ ...maria, phone: '+1 (415) 555-0100' }}></wcp-customer-summary></div>`,
    );
    const el = wrapper.querySelector<CustomerSummaryElement>('wcp-customer-summary')!;
    await el.updateComplete;
    const valueOf = (term: string) => [...el.shadowRoot!.querySelectorAll('dt')].find((dt) => dt.textContent === term)!.nextElementSibling!;
    expect(valueOf('Mobile phone').textContent).to.equal('+1 (415) 555-0100');
    expect(plusIsLeftOfLastDigit(valueOf('Mobile phone')), 'CRM phone drawn as written').to.equal(true);
    expect(plusIsLeftOfLastDigit(valueOf('Number')), 'WhatsApp number drawn as written').to.equal(true);
  });
});
