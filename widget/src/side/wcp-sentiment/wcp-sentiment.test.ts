import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { aggregateSentiment } from '../sentiment/sentiment.js';
import { customerSays } from '../shared/test-fixtures.js';
import './wcp-sentiment.js';
import { SentimentElement } from './wcp-sentiment.js';

const text = (el: SentimentElement) => el.shadowRoot!.querySelector('.sentiment')!.textContent!.replace(/\s+/g, ' ').trim();
/** What the polite live region says (empty: nothing announced). */
const spoken = (el: SentimentElement) => el.shadowRoot!.querySelector('[aria-live="polite"]')!.textContent!.trim();

describe('wcp-sentiment', () => {
  it('says when there is nothing to judge yet', async () => {
    const el = await fixture<SentimentElement>(html`<wcp-sentiment></wcp-sentiment>`);
    expect(text(el)).to.equal('Customer sentiment: No customer messages yet');
    await expect(el).to.be.accessible();
  });

  it('shows the label as text with a decorative face and scale', async () => {
    const sentiment = aggregateSentiment(customerSays('This is the worst service ever, I am furious.'));
    const el = await fixture<SentimentElement>(html`<wcp-sentiment .sentiment=${sentiment}></wcp-sentiment>`);
    expect(text(el)).to.equal('Customer sentiment: Negative, steady');
    expect(el.getAttribute('tone')).to.equal('negative');
    expect(el.shadowRoot!.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
    expect(el.shadowRoot!.querySelectorAll('.scale .on')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('updates politely as the customer calms down', async () => {
    const el = await fixture<SentimentElement>(html`<wcp-sentiment></wcp-sentiment>`);
    el.sentiment = aggregateSentiment(customerSays('You are amazing, this is the best service I have ever had. Love it!'));
    await el.updateComplete;
    expect(text(el)).to.equal('Customer sentiment: Very positive, steady');
    expect(el.getAttribute('tone')).to.equal('positive');
    await expect(el).to.be.accessible();
  });

  it('shows the trend and the range after an angry message and a polite one', async () => {
    const sentiment = aggregateSentiment(
      customerSays('This is terrible, absolutely awful, I want a refund now!!!', 'I hate this, useless scam!', 'ok thanks', 'Thank you so much, that was really helpful!'),
    );
    const el = await fixture<SentimentElement>(html`<wcp-sentiment .sentiment=${sentiment}></wcp-sentiment>`);
    expect(text(el)).to.equal('Customer sentiment: Neutral, improving (range: very negative to positive)');
    await expect(el).to.be.accessible();
  });

  it('announces a change a new customer message brought, not the first judgement or older messages loaded', async () => {
    const calm = customerSays('Thank you so much, that was really helpful!');
    // The conversation is accepted and its transcript arrives: shown, not announced.
    const el = await fixture<SentimentElement>(html`<wcp-sentiment .sentiment=${null} .basis=${null}></wcp-sentiment>`);
    el.sentiment = aggregateSentiment(calm);
    el.basis = 'c1';
    await el.updateComplete;
    expect(text(el)).to.equal('Customer sentiment: Positive, steady');
    expect(spoken(el)).to.equal('');
    // An older page loads above: the newest message is the same, nothing is news.
    el.sentiment = aggregateSentiment(customerSays('I hate this, useless scam!', 'Thank you so much, that was really helpful!'));
    await el.updateComplete;
    expect(spoken(el)).to.equal('');
    // The customer writes again, angrily: the change is announced.
    el.sentiment = aggregateSentiment(customerSays('Thank you so much, that was really helpful!', 'I hate this, you are useless and I will cancel everything. Disgusting scam.'));
    el.basis = 'c2';
    await el.updateComplete;
    expect(spoken(el)).to.equal(text(el));
    expect(spoken(el)).to.match(/^Customer sentiment: (Very negative|Negative|Slightly negative), worsening/);
    await expect(el).to.be.accessible();
  });

  it('empties the live region once it has spoken, so the pane read line by line says the sentiment once', async () => {
    const was = SentimentElement.announcementMs;
    SentimentElement.announcementMs = 50;
    try {
      const el = await fixture<SentimentElement>(html`<wcp-sentiment .sentiment=${aggregateSentiment(customerSays('ok thanks'))} .basis=${'c1'}></wcp-sentiment>`);
      el.sentiment = aggregateSentiment(customerSays('ok thanks', 'I hate this, you are useless and I will cancel everything. Disgusting scam.'));
      el.basis = 'c2';
      await el.updateComplete;
      expect(spoken(el)).to.equal(text(el));
      await waitUntil(() => spoken(el) === '', 'the announcement stays in the live region', { timeout: 2_000 });
      expect(text(el)).to.match(/worsening/);
    } finally {
      SentimentElement.announcementMs = was;
    }
  });

  it('announces nothing when a new message leaves the sentiment as it was', async () => {
    const el = await fixture<SentimentElement>(html`<wcp-sentiment .sentiment=${aggregateSentiment(customerSays('ok thanks'))} .basis=${'c1'}></wcp-sentiment>`);
    el.sentiment = aggregateSentiment(customerSays('ok thanks', 'ok thanks'));
    el.basis = 'c2';
    await el.updateComplete;
    expect(text(el)).to.equal('Customer sentiment: Slightly positive, steady');
    expect(spoken(el)).to.equal('');
  });

  it('says when the customer is getting angrier', async () => {
    const el = await fixture<SentimentElement>(html`<wcp-sentiment></wcp-sentiment>`);
    el.sentiment = aggregateSentiment(
      customerSays('Thank you so much, that was really helpful!', 'That is a bit disappointing', 'I hate this, you are useless and I will cancel everything. Disgusting scam.'),
    );
    await el.updateComplete;
    expect(text(el)).to.equal('Customer sentiment: Negative, worsening (range: very negative to positive)');
    expect(el.getAttribute('tone')).to.equal('negative');
    await expect(el).to.be.accessible();
  });
});
