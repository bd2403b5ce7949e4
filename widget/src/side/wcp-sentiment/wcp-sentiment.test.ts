import { expect, fixture, html } from '@open-wc/testing';
import { aggregateSentiment } from '../sentiment/sentiment.js';
import { customerSays } from '../shared/test-fixtures.js';
import './wcp-sentiment.js';
import type { SentimentElement } from './wcp-sentiment.js';

const text = (el: SentimentElement) => el.shadowRoot!.querySelector('[aria-live]')!.textContent!.replace(/\s+/g, ' ').trim();

describe('wcp-sentiment', () => {
  it('says when there is nothing to judge yet', async () => {
    const el = await fixture<SentimentElement>(html`<wcp-sentiment></wcp-sentiment>`);
    expect(text(el)).to.equal('Customer sentiment: No customer messages yet');
    await expect(el).to.be.accessible();
  });

  it('shows the label as text with a decorative face and scale', async () => {
    const sentiment = aggregateSentiment(customerSays('This is the worst service ever, I am furious.'));
    const el = await fixture<SentimentElement>(html`<wcp-sentiment .sentiment=${sentiment}></wcp-sentiment>`);
    expect(text(el)).to.equal('Customer sentiment: Negative');
    expect(el.getAttribute('tone')).to.equal('negative');
    expect(el.shadowRoot!.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
    expect(el.shadowRoot!.querySelectorAll('.scale .on')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('updates politely as the customer calms down', async () => {
    const el = await fixture<SentimentElement>(html`<wcp-sentiment></wcp-sentiment>`);
    el.sentiment = aggregateSentiment(customerSays('You are amazing, this is the best service I have ever had. Love it!'));
    await el.updateComplete;
    expect(text(el)).to.equal('Customer sentiment: Very positive');
    expect(el.getAttribute('tone')).to.equal('positive');
    await expect(el).to.be.accessible();
  });
});
