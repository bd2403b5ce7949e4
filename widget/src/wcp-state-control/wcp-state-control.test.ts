import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { deepActiveElement } from '../lib/focus.js';
import type { ChangeStateEvent } from '../events/change-state-event.js';
import type { WrapUpChangeEvent } from '../events/wrap-up-change-event.js';
import type { WcpStateControl } from './wcp-state-control.js';
import './wcp-state-control.js';

const enabled = (el: WcpStateControl) =>
  [...el.shadowRoot!.querySelectorAll('button')].filter((b) => !b.disabled && b.getAttribute('aria-disabled') !== 'true').map((b) => b.textContent!.trim());

describe('wcp-state-control', () => {
  it('enables only the valid next states', async () => {
    const el = await fixture<WcpStateControl>(html`<wcp-state-control state="open"></wcp-state-control>`);
    expect(enabled(el)).to.deep.equal(['Active']);
    el.state = 'active';
    await el.updateComplete;
    expect(enabled(el)).to.deep.equal(['Waiting', 'Wrap-up']);
    el.state = 'waiting';
    await el.updateComplete;
    expect(enabled(el)).to.deep.equal(['Active', 'Wrap-up']);
    el.state = 'wrapup';
    await el.updateComplete;
    // Closing goes through the wrap-up form, which needs a disposition first.
    expect(enabled(el)).to.deep.equal([]);
    expect(el.shadowRoot!.querySelector('[aria-pressed="true"]')!.textContent!.trim()).to.equal('Wrap-up');
    await expect(el).to.be.accessible();
  });

  it('closes from wrap-up only with a disposition, carrying the summary', async () => {
    const dispositions = [
      { id: 'resolved', label: 'Resolved' },
      { id: 'follow-up', label: 'Follow-up needed' },
    ];
    const el = await fixture<WcpStateControl>(html`<wcp-state-control state="wrapup" .dispositions=${dispositions}></wcp-state-control>`);
    const root = el.shadowRoot!;
    const select = root.querySelector<HTMLSelectElement>('select[aria-label="Disposition"]')!;
    const summary = root.querySelector<HTMLTextAreaElement>('textarea[aria-label="Summary"]')!;
    const close = [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Close conversation')!;
    expect([...select.options].map((o) => o.textContent!.trim())).to.deep.equal(['Choose…', 'Resolved', 'Follow-up needed']);
    expect(close.disabled).to.equal(true);
    select.value = 'follow-up';
    select.dispatchEvent(new Event('change'));
    summary.value = '  Call back on Monday  ';
    summary.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(close.disabled).to.equal(false);
    setTimeout(() => close.click());
    const event = (await oneEvent(el, 'wcp-change-state')) as ChangeStateEvent;
    expect(event.state).to.equal('closed');
    expect(event.wrapUp).to.deep.equal({ disposition: 'follow-up', summary: 'Call back on Monday' });
    await el.updateComplete;
    // Until the host hears the relay closed it (a refusal must not lose them).
    expect([select.value, summary.value]).to.deep.equal(['follow-up', '  Call back on Monday  ']);
    await expect(el).to.be.accessible();
  });

  it('tells the host each change of the wrap-up, and shows the wrap-up the host gives', async () => {
    const el = await fixture<WcpStateControl>(
      html`<wcp-state-control state="wrapup" .dispositions=${[{ id: 'resolved', label: 'Resolved' }]} disposition="resolved" summary="Kept"></wcp-state-control>`,
    );
    const summary = el.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea[aria-label="Summary"]')!;
    expect([el.shadowRoot!.querySelector('select')!.value, summary.value]).to.deep.equal(['resolved', 'Kept']);
    summary.value = 'Kept, and more';
    setTimeout(() => summary.dispatchEvent(new Event('input')));
    const event = (await oneEvent(el, 'wcp-wrap-up-change')) as WrapUpChangeEvent;
    expect(event.wrapUp).to.deep.equal({ disposition: 'resolved', summary: 'Kept, and more' });
  });

  it('says at what time the relay closes the wrap-up by itself, and nothing when it never does', async () => {
    const today = new Date();
    today.setHours(14, 32, 0, 0);
    const el = await fixture<WcpStateControl>(html`<wcp-state-control state="wrapup" .wrapUpEndsAt=${today.toISOString()}></wcp-state-control>`);
    const sentence = () => el.shadowRoot!.querySelector('form p')?.textContent?.trim();
    expect(sentence()).to.match(/^Closes by itself at 02:32\sPM if you don't close it\.$/);
    const close = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Close conversation')!;
    expect(close.getAttribute('aria-describedby')).to.equal('ends');
    await expect(el).to.be.accessible();

    // Another day: the date too, or "at 09:10" would read as today.
    const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1, 9, 10);
    el.wrapUpEndsAt = tomorrow.toISOString();
    await el.updateComplete;
    expect(sentence()).to.contain(String(tomorrow.getDate())).and.to.match(/9:10\sAM if you don't close it\.$/);

    el.wrapUpEndsAt = null;
    await el.updateComplete;
    expect(sentence()).to.equal(undefined);
    expect(close.hasAttribute('aria-describedby')).to.equal(false);
  });

  it('raises the chosen state', async () => {
    const el = await fixture<WcpStateControl>(html`<wcp-state-control state="active"></wcp-state-control>`);
    const waiting = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Waiting')!;
    setTimeout(() => waiting.click());
    const event = (await oneEvent(el, 'wcp-change-state')) as ChangeStateEvent;
    expect(event.state).to.equal('waiting');
    await expect(el).to.be.accessible();
  });

  it('keeps keyboard focus with the change: Wrap-up leads to "Disposition", Waiting to its own button', async () => {
    const el = await fixture<WcpStateControl>(html`<wcp-state-control state="active" .dispositions=${[{ id: 'resolved', label: 'Resolved' }]}></wcp-state-control>`);
    // As the panel does: busy while the relay answers, then the new state.
    el.addEventListener('wcp-change-state', (e) => {
      el.busy = true;
      setTimeout(() => {
        el.state = (e as ChangeStateEvent).state;
        el.busy = false;
      }, 50);
    });
    const button = (name: string) => [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === name)!;
    const focused = () => {
      const active = deepActiveElement();
      return active ? `${active.tagName} ${active.getAttribute('aria-label') ?? active.textContent!.trim()}` : 'nothing';
    };

    button('Waiting').focus();
    const waiting = oneEvent(el, 'wcp-change-state');
    await sendKeys({ press: 'Enter' });
    await waiting;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(focused(), 'focus after Waiting').to.equal('BUTTON Waiting');
    expect(button('Waiting').getAttribute('aria-pressed')).to.equal('true');

    button('Wrap-up').focus();
    const wrapUp = oneEvent(el, 'wcp-change-state');
    await sendKeys({ press: 'Enter' });
    await wrapUp;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(focused(), 'focus after Wrap-up').to.equal('SELECT Disposition');
    await expect(el).to.be.accessible();
  });
});
