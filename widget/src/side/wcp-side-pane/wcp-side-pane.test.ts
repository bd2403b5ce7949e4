import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { SideTabChangeEvent, type AssistQueryEvent, type ScriptProgressEvent } from '../../events/index.js';
import { articles, conversation, maria, message, notes, quickReplies, RELAY_SENTIMENT, scripts } from '../shared/test-fixtures.js';
import { button, control, nextEvent } from '../shared/test-helpers.js';
import './wcp-side-pane.js';
import type { SidePaneElement } from './wcp-side-pane.js';

const tabs = (el: SidePaneElement) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
const tab = (el: SidePaneElement, name: string) => tabs(el).find((t) => t.textContent!.trim().startsWith(name))!;
const visiblePanel = (el: SidePaneElement) => el.shadowRoot!.querySelector<HTMLElement>('[role="tabpanel"]:not([hidden])')!;
const part = <K extends keyof HTMLElementTagNameMap>(el: SidePaneElement, tag: K) => el.shadowRoot!.querySelector(tag)!;

describe('wcp-side-pane', () => {
  it('has the seven tabs with Summary selected, showing the customer', async () => {
    const el = await fixture<SidePaneElement>(
      html`<wcp-side-pane .conversation=${conversation()} .contact=${maria}></wcp-side-pane>`,
    );
    expect(tabs(el).map((t) => t.textContent!.trim())).to.deep.equal([
      'Summary',
      'Notes',
      'Records',
      'Knowledge',
      'Scripts',
      'Search',
      'Assist',
    ]);
    expect(tab(el, 'Summary').getAttribute('aria-selected')).to.equal('true');
    expect(el.shadowRoot!.querySelectorAll('[role="tabpanel"]:not([hidden])')).to.have.length(1);
    const summary = part(el, 'wcp-customer-summary');
    await summary.updateComplete;
    expect(summary.shadowRoot!.textContent).to.contain('Maria Campbell');
    await expect(el).to.be.accessible();
  });

  it('switches tabs by click and by arrow keys, raising SideTabChangeEvent', async () => {
    const el = await fixture<SidePaneElement>(html`<wcp-side-pane></wcp-side-pane>`);
    let raised = nextEvent(el, 'wcp-side-tab-change');
    tab(el, 'Notes').click();
    expect((await raised).tab).to.equal('notes');
    await el.updateComplete;
    expect(visiblePanel(el).id).to.equal('panel-notes');

    tab(el, 'Notes').focus();
    raised = nextEvent(el, 'wcp-side-tab-change');
    await sendKeys({ press: 'ArrowRight' });
    const event = await raised;
    expect(event).to.be.instanceOf(SideTabChangeEvent);
    expect(event.tab).to.equal('records');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(tab(el, 'Records'));
    await sendKeys({ press: 'End' });
    await el.updateComplete;
    expect(el.activeTab).to.equal('assist');
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(el.activeTab).to.equal('summary');
    expect(tabs(el).filter((t) => t.tabIndex === 0)).to.deep.equal([tab(el, 'Summary')]);
    await expect(el).to.be.accessible();
  });

  it('forwards the parts\' events (bubbling, composed) to the panel', async () => {
    const el = await fixture<SidePaneElement>(html`<wcp-side-pane active-tab="notes" .notes=${notes}></wcp-side-pane>`);
    const notesEl = part(el, 'wcp-notes');
    await notesEl.updateComplete;
    control<HTMLTextAreaElement>(notesEl, 'New note').focus();
    await sendKeys({ type: 'Promised a call back' });
    await notesEl.updateComplete;
    const raised = nextEvent(el, 'wcp-add-note');
    button(notesEl, 'Add note').click();
    expect((await raised).body).to.equal('Promised a call back');
    await expect(el).to.be.accessible();
  });

  it('passes busy and errors to the matching area', async () => {
    const el = await fixture<SidePaneElement>(
      html`<wcp-side-pane active-tab="records" .busy=${{ records: true }} .errors=${{ notes: 'Could not save the note.' }}></wcp-side-pane>`,
    );
    expect(part(el, 'wcp-records').busy).to.equal(true);
    expect(part(el, 'wcp-notes').error).to.equal('Could not save the note.');
    expect(part(el, 'wcp-knowledge').busy).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('derives the sentiment from inbound messages only', async () => {
    const messages = [
      message('m1', 'inbound', 'This is the worst service ever, I am furious.', 0, RELAY_SENTIMENT['This is the worst service ever, I am furious.']),
      message('m2', 'outbound', 'I am so sorry! We love helping, thank you for your patience.', 1),
    ];
    const el = await fixture<SidePaneElement>(html`<wcp-side-pane .conversation=${conversation()} .messages=${messages}></wcp-side-pane>`);
    const summary = part(el, 'wcp-customer-summary');
    expect(summary.sentiment!.label).to.equal('negative');
    // The agent's message read: the customer's messages are the same, nothing is derived again.
    const before = summary.sentiment;
    el.messages = messages.map((m) => (m.id === 'm2' ? { ...m, status: 'read' as const } : m));
    await el.updateComplete;
    expect(summary.sentiment, 'the same sentiment').to.equal(before);
    el.messages = [...messages, message('m3', 'inbound', 'Thank you so much, that was really helpful!', 2, RELAY_SENTIMENT['Thank you so much, that was really helpful!'])];
    await el.updateComplete;
    expect(summary.sentiment!.score).to.be.greaterThan(0);
    await expect(el).to.be.accessible();
  });

  it('speaks the sentiment when a new customer message changes it, not when the conversation opens', async () => {
    const angry = 'This is the worst service ever, I am furious.';
    const thanks = 'Thank you so much, that was really helpful!';
    const opened = [message('m1', 'inbound', angry, 0, RELAY_SENTIMENT[angry])];
    const el = await fixture<SidePaneElement>(html`<wcp-side-pane .conversation=${conversation()} .messages=${[]}></wcp-side-pane>`);
    const sentiment = part(el, 'wcp-customer-summary').shadowRoot!.querySelector('wcp-sentiment')!;
    const spoken = async () => {
      await el.updateComplete;
      await part(el, 'wcp-customer-summary').updateComplete;
      await sentiment.updateComplete;
      return sentiment.shadowRoot!.querySelector('[aria-live="polite"]')!.textContent!.trim();
    };
    // Accepted: the transcript loads.
    el.messages = opened;
    expect(await spoken()).to.equal('');
    // The customer writes again and feels better.
    el.messages = [...opened, message('m2', 'inbound', thanks, 1, RELAY_SENTIMENT[thanks])];
    expect(await spoken()).to.match(/^Customer sentiment: .+, improving \(range: negative to positive\)$/);
  });

  it('asks for assist articles once per new customer message and ranks suggestions', async () => {
    const queries: string[] = [];
    const el = await fixture<SidePaneElement>(html`<wcp-side-pane
      .quickReplies=${quickReplies}
      @wcp-assist-query=${(e: AssistQueryEvent) => queries.push(e.query)}
    ></wcp-side-pane>`);
    el.messages = [message('m1', 'inbound', 'When will I get my refund?', 0)];
    await el.updateComplete;
    expect(queries).to.deep.equal(['refund']);
    el.assistArticles = articles;
    el.messages = [...el.messages, message('m2', 'outbound', 'Let me check.', 1)];
    await el.updateComplete;
    expect(queries).to.have.length(1);

    const assist = part(el, 'wcp-smart-assist');
    expect(assist.suggestions.map((s) => s.item.id)).to.have.members(['q-refund', 'k-refund']);
    expect(tab(el, 'Assist').textContent).to.contain('2');
    tab(el, 'Assist').click();
    await el.updateComplete;
    await assist.updateComplete;
    const raised = nextEvent(el, 'wcp-insert-text');
    button(assist, 'Use quick reply: Refund timeline').click();
    expect((await raised).source).to.equal('quick-reply');
    await expect(el).to.be.accessible();
  });

  it('keeps script progress controlled by the panel, per conversation', async () => {
    const progressByConversation = new Map<string, ScriptProgressEvent['progress']>();
    const el = await fixture<SidePaneElement>(html`<wcp-side-pane
      active-tab="scripts"
      .conversation=${conversation()}
      .scripts=${scripts}
      @wcp-script-progress=${(e: ScriptProgressEvent) => {
        progressByConversation.set(el.conversation!.id, e.progress);
        el.scriptProgress = e.progress;
      }}
    ></wcp-side-pane>`);
    const script = part(el, 'wcp-agent-script');
    await script.updateComplete;
    control(script, 'Greet the customer').click();
    await el.updateComplete;
    await script.updateComplete;
    expect(progressByConversation.get('conv-1')).to.deep.equal({ scriptId: 's-refund', doneStepIds: ['st-1'] });
    expect(script.shadowRoot!.querySelector('.progress')!.textContent).to.equal('1 of 3 steps done');

    el.conversation = conversation({ id: 'conv-2' });
    el.scriptProgress = progressByConversation.get('conv-2') ?? { scriptId: null, doneStepIds: [] };
    await el.updateComplete;
    await script.updateComplete;
    expect(control(script, 'Greet the customer').checked).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('is usable at 360 px wide', async () => {
    const el = await fixture<SidePaneElement>(
      html`<div style="width:360px"><wcp-side-pane .conversation=${conversation()} .contact=${maria}></wcp-side-pane></div>`,
    );
    const pane = el.querySelector('wcp-side-pane')!;
    expect(pane.getBoundingClientRect().width).to.equal(360);
    expect(pane.shadowRoot!.querySelector('[role="tablist"]')!.scrollWidth).to.be.greaterThan(0);
    const summary = pane.shadowRoot!.querySelector('wcp-customer-summary')!;
    expect(summary.getBoundingClientRect().right).to.be.at.most(360 + el.getBoundingClientRect().left);
    await expect(el).to.be.accessible();
  });
});
