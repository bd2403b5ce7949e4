import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { InsertTextEvent, KnowledgeSearchEvent } from '../../events/index.js';
import { articles } from '../shared/test-fixtures.js';
import { button, control, nextEvent } from '../shared/test-helpers.js';
import './wcp-knowledge.js';
import type { KnowledgeElement } from './wcp-knowledge.js';

describe('wcp-knowledge', () => {
  it('raises KnowledgeSearchEvent with the typed query on Enter', async () => {
    const el = await fixture<KnowledgeElement>(html`<wcp-knowledge></wcp-knowledge>`);
    expect(button(el, 'Search').disabled).to.equal(true);
    control(el, 'Search knowledge articles').focus();
    await sendKeys({ type: ' refund ' });
    const raised = nextEvent(el, 'wcp-knowledge-search');
    await sendKeys({ press: 'Enter' });
    const event = await raised;
    expect(event).to.be.instanceOf(KnowledgeSearchEvent);
    expect(event.query).to.equal('refund');
    await expect(el).to.be.accessible();
  });

  it('lists articles with a safe link, and says when none matched', async () => {
    const hostile = { id: 'x', title: 'Bad <img src=x>', summary: 'Sum', url: 'javascript:alert(1)' };
    const el = await fixture<KnowledgeElement>(html`<wcp-knowledge .results=${[...articles, hostile]}></wcp-knowledge>`);
    const links = [...el.shadowRoot!.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).to.deep.equal(['How to request a refund', 'Track your order', 'Reset your password']);
    expect(links[0]!.getAttribute('href')).to.equal('https://support.example.com/kb/refunds');
    expect(links[0]!.rel).to.equal('noopener noreferrer');
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(el.shadowRoot!.textContent).to.contain('Bad <img src=x>');
    await expect(el).to.be.accessible();

    el.results = [];
    control(el, 'Search knowledge articles').focus();
    await sendKeys({ type: 'nothing' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('No articles found.');
  });

  it('shares an article link into the composer', async () => {
    const el = await fixture<KnowledgeElement>(html`<wcp-knowledge .results=${articles}></wcp-knowledge>`);
    const raised = nextEvent(el, 'wcp-insert-text');
    button(el, 'Share link to Track your order').click();
    const event = await raised;
    expect(event).to.be.instanceOf(InsertTextEvent);
    expect(event.source).to.equal('knowledge');
    expect(event.text).to.equal('Track your order: https://support.example.com/kb/tracking');
    await expect(el).to.be.accessible();
  });

  it('shares an article summary into the composer', async () => {
    const el = await fixture<KnowledgeElement>(html`<wcp-knowledge .results=${articles}></wcp-knowledge>`);
    const raised = nextEvent(el, 'wcp-insert-text');
    button(el, 'Share summary of How to request a refund').click();
    expect((await raised).text).to.equal(
      'How to request a refund\nRefunds are issued to the original payment method within 5 business days of approval.\nRead more: https://support.example.com/kb/refunds',
    );
    await expect(el).to.be.accessible();
  });

  it('shows busy and error states', async () => {
    const el = await fixture<KnowledgeElement>(html`<wcp-knowledge busy error="Knowledge search is unavailable."></wcp-knowledge>`);
    expect(el.shadowRoot!.textContent).to.contain('Searching…');
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal('Knowledge search is unavailable.');
    await expect(el).to.be.accessible();
  });
});
