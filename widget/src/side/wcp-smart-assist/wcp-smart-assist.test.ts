import { expect, fixture, html } from '@open-wc/testing';
import { InsertTextEvent } from '../../events/index.js';
import { suggest } from '../smart-assist/suggest.js';
import { articles, quickReplies } from '../shared/test-fixtures.js';
import { button, nextEvent } from '../shared/test-helpers.js';
import './wcp-smart-assist.js';
import type { SmartAssistElement } from './wcp-smart-assist.js';

const latest = 'When will I get my refund?';

describe('wcp-smart-assist', () => {
  it('invites to wait for the customer when there is nothing yet', async () => {
    const el = await fixture<SmartAssistElement>(html`<wcp-smart-assist></wcp-smart-assist>`);
    expect(el.shadowRoot!.textContent).to.contain('Suggestions appear when the customer writes.');
    await expect(el).to.be.accessible();
  });

  it('shows quick replies and articles for the latest message', async () => {
    const suggestions = suggest(latest, quickReplies, articles);
    const el = await fixture<SmartAssistElement>(
      html`<wcp-smart-assist .suggestions=${suggestions} .basedOn=${latest}></wcp-smart-assist>`,
    );
    expect(el.shadowRoot!.querySelector('.based-on')!.textContent).to.contain(latest);
    const items = [...el.shadowRoot!.querySelectorAll('[part="suggestions"] li')];
    expect(items.map((li) => li.querySelector('.badge')!.textContent)).to.have.members(['Quick reply', 'Article']);
    expect(el.shadowRoot!.textContent).to.contain('Matches: refund');
    await expect(el).to.be.accessible();
  });

  it('"Use" inserts the quick reply, "Share" the article link', async () => {
    const suggestions = suggest(latest, quickReplies, articles);
    const el = await fixture<SmartAssistElement>(html`<wcp-smart-assist .suggestions=${suggestions} .basedOn=${latest}></wcp-smart-assist>`);
    let raised = nextEvent(el, 'wcp-insert-text');
    button(el, 'Use quick reply: Refund timeline').click();
    let event = await raised;
    expect(event).to.be.instanceOf(InsertTextEvent);
    expect(event).to.include({ text: 'Your refund will reach your original payment method within 5 business days.', source: 'quick-reply' });
    raised = nextEvent(el, 'wcp-insert-text');
    button(el, 'Share article: How to request a refund').click();
    event = await raised;
    expect(event).to.include({ text: 'How to request a refund: https://support.example.com/kb/refunds', source: 'knowledge' });
    await expect(el).to.be.accessible();
  });

  it('says when nothing fits the message', async () => {
    const el = await fixture<SmartAssistElement>(html`<wcp-smart-assist basedOn="ok thanks"></wcp-smart-assist>`);
    expect(el.shadowRoot!.textContent).to.contain('No suggestions for this message.');
    await expect(el).to.be.accessible();
  });
});
