import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { InsertTextEvent, ScriptProgressEvent } from '../../events/index.js';
import { scripts } from '../shared/test-fixtures.js';
import { button, control, nextEvent } from '../shared/test-helpers.js';
import './wcp-agent-script.js';
import type { AgentScriptElement } from './wcp-agent-script.js';

describe('wcp-agent-script', () => {
  it('shows the first script with its steps and progress', async () => {
    const el = await fixture<AgentScriptElement>(html`<wcp-agent-script .scripts=${scripts}></wcp-agent-script>`);
    expect(control<HTMLSelectElement>(el, 'Script').value).to.equal('s-refund');
    const steps = [...el.shadowRoot!.querySelectorAll('[part="steps"] li .title')].map((t) => t.textContent);
    expect(steps).to.deep.equal(['Greet the customer', 'Verify the order number', 'Explain the refund timeline']);
    expect(el.shadowRoot!.querySelector('.progress')!.textContent).to.equal('0 of 3 steps done');
    await expect(el).to.be.accessible();
  });

  it('ticks a step with the keyboard and raises the whole new progress', async () => {
    const el = await fixture<AgentScriptElement>(
      html`<wcp-agent-script .scripts=${scripts} .progress=${{ scriptId: 's-refund', doneStepIds: ['st-3'] }}></wcp-agent-script>`,
    );
    expect(el.shadowRoot!.querySelector('.progress')!.textContent).to.equal('1 of 3 steps done');
    control(el, 'Greet the customer').focus();
    const raised = nextEvent(el, 'wcp-script-progress');
    await sendKeys({ press: 'Space' });
    const event = await raised;
    expect(event).to.be.instanceOf(ScriptProgressEvent);
    expect(event.progress).to.deep.equal({ scriptId: 's-refund', doneStepIds: ['st-1', 'st-3'] });
    await expect(el).to.be.accessible();
  });

  it('unticks a done step', async () => {
    const el = await fixture<AgentScriptElement>(
      html`<wcp-agent-script .scripts=${scripts} .progress=${{ scriptId: 's-refund', doneStepIds: ['st-1', 'st-2'] }}></wcp-agent-script>`,
    );
    expect(control(el, 'Verify the order number').checked).to.equal(true);
    const raised = nextEvent(el, 'wcp-script-progress');
    control(el, 'Verify the order number').click();
    expect((await raised).progress.doneStepIds).to.deep.equal(['st-1']);
    await expect(el).to.be.accessible();
  });

  it('inserts a step text; steps without text have no Insert', async () => {
    const el = await fixture<AgentScriptElement>(html`<wcp-agent-script .scripts=${scripts}></wcp-agent-script>`);
    expect(el.shadowRoot!.querySelectorAll('button')).to.have.length(2);
    const raised = nextEvent(el, 'wcp-insert-text');
    button(el, 'Insert: Greet the customer').click();
    const event = await raised;
    expect(event).to.be.instanceOf(InsertTextEvent);
    expect(event.text).to.equal('Hi {customer.name}, thanks for reaching out.');
    expect(event.source).to.equal('script');
    await expect(el).to.be.accessible();
  });

  it('switches script, starting it fresh', async () => {
    const el = await fixture<AgentScriptElement>(html`<wcp-agent-script .scripts=${scripts}></wcp-agent-script>`);
    const select = control<HTMLSelectElement>(el, 'Script');
    select.value = 's-delivery';
    const raised = nextEvent(el, 'wcp-script-progress');
    select.dispatchEvent(new Event('change'));
    expect((await raised).progress).to.deep.equal({ scriptId: 's-delivery', doneStepIds: [] });
    el.progress = { scriptId: 's-delivery', doneStepIds: [] };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.progress')!.textContent).to.equal('0 of 1 steps done');
    await expect(el).to.be.accessible();
  });

  it('says when there are no scripts', async () => {
    const el = await fixture<AgentScriptElement>(html`<wcp-agent-script></wcp-agent-script>`);
    expect(el.shadowRoot!.textContent).to.contain('No agent scripts.');
    await expect(el).to.be.accessible();
  });
});
