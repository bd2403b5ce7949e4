import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ChangeStateEvent } from '../events/change-state-event.js';
import type { WcpStateControl } from './wcp-state-control.js';
import './wcp-state-control.js';

const enabled = (el: WcpStateControl) =>
  [...el.shadowRoot!.querySelectorAll('button')].filter((b) => !b.disabled).map((b) => b.textContent!.trim());

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
    expect(enabled(el)).to.deep.equal(['Closed']);
    expect(el.shadowRoot!.querySelector('[aria-pressed="true"]')!.textContent!.trim()).to.equal('Wrap-up');
    await expect(el).to.be.accessible();
  });

  it('raises the chosen state', async () => {
    const el = await fixture<WcpStateControl>(html`<wcp-state-control state="active"></wcp-state-control>`);
    const waiting = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Waiting')!;
    setTimeout(() => waiting.click());
    const event = (await oneEvent(el, 'wcp-change-state')) as ChangeStateEvent;
    expect(event.state).to.equal('waiting');
    await expect(el).to.be.accessible();
  });
});
