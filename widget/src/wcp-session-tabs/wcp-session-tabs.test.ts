import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SelectConversationEvent } from '../events/select-conversation-event.js';
import type { SessionSummary, WcpSessionTabs } from './wcp-session-tabs.js';
import './wcp-session-tabs.js';
import { spokenNames } from '../test/spoken-names.js';

const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const sessions: SessionSummary[] = [
  { conversationId: 'a', title: 'Ana García', state: 'active', unread: 0, windowExpiresAt: at(20 * 3600_000) },
  { conversationId: 'b', title: 'Bo Chen', state: 'waiting', unread: 3, windowExpiresAt: at(30 * 60_000 + 30_000) },
  { conversationId: 'c', title: '+14155550102', state: 'active', unread: 0, windowExpiresAt: at(5 * 3600_000) },
];
const tabNames = (el: WcpSessionTabs) =>
  [...el.shadowRoot!.querySelectorAll('[role="tab"]')].map((t) => t.querySelector('.title')!.textContent!.trim());

describe('wcp-session-tabs', () => {
  it('shows each session as a tab with unread counts', async () => {
    const el = await fixture<WcpSessionTabs>(html`<wcp-session-tabs .sessions=${sessions} selected-id="a"></wcp-session-tabs>`);
    const tabs = el.shadowRoot!.querySelectorAll('[role="tab"]');
    expect(tabs).to.have.length(3);
    expect(tabs[0]!.getAttribute('aria-selected')).to.equal('true');
    expect(tabs[1]!.querySelector('.badge')!.textContent).to.equal('3');
    expect(tabs[1]!.textContent).to.contain('30 min left');
    await expect(el).to.be.accessible();
  });

  it("reads each tab's parts apart: name, state, unread count, time left", async () => {
    await fixture<WcpSessionTabs>(html`<wcp-session-tabs .sessions=${sessions} selected-id="a"></wcp-session-tabs>`);
    // Read from the tab's text, Chromium ran them together: "Bo Chen , Waiting , 3 unread 30 min left".
    const [ana, bo, number] = await spokenNames('tab');
    expect(ana).to.match(/^Ana García, 19 h 59 min left$/);
    expect(bo).to.equal('Bo Chen, Waiting, 3 unread, 30 min left');
    expect(number).to.match(/^\+14155550102, 4 h 59 min left$/);
  });

  it("keeps a consult's marker apart from the customer's name in the tab's text", async () => {
    const consult: SessionSummary = { ...sessions[0]!, consulting: true };
    const el = await fixture<WcpSessionTabs>(html`<wcp-session-tabs .sessions=${[consult]} selected-id="a"></wcp-session-tabs>`);
    expect((await spokenNames('tab'))[0]).to.match(/^Ana García, Consulting, /);
    await expect(el).to.be.accessible();
  });

  it("tells a wrap-up's tab from the same customer's new conversation: it says Wrap-up and counts no window", async () => {
    const wrapUp: SessionSummary = { ...sessions[0]!, conversationId: 'a0', state: 'wrapup' };
    const el = await fixture<WcpSessionTabs>(html`<wcp-session-tabs .sessions=${[wrapUp, sessions[0]!]} selected-id="a"></wcp-session-tabs>`);
    const [ended, live] = await spokenNames('tab');
    expect(ended).to.equal('Ana García, Wrap-up');
    expect(live).to.match(/^Ana García, .*left$/);
    expect(el.shadowRoot!.querySelector('[role="tab"]')!.textContent).not.to.contain('left');
    await expect(el).to.be.accessible();
  });

  it('says which conversation waits for its customer', async () => {
    const waiting: SessionSummary = { ...sessions[1]!, state: 'waiting' };
    const el = await fixture<WcpSessionTabs>(html`<wcp-session-tabs .sessions=${[sessions[0]!, waiting]} selected-id="a"></wcp-session-tabs>`);
    const [active, held] = await spokenNames('tab');
    expect(held).to.match(/^Bo Chen, Waiting, /);
    expect(active).not.to.contain('Waiting');
    await expect(el).to.be.accessible();
  });

  it('draws the focus ring inside the tab, where the scrolling strip cannot cut it off', async () => {
    const el = await fixture<WcpSessionTabs>(html`<wcp-session-tabs .sessions=${sessions} selected-id="a"></wcp-session-tabs>`);
    const tab = el.shadowRoot!.querySelector<HTMLButtonElement>('[role="tab"]')!;
    tab.focus();
    await sendKeys({ press: 'ArrowRight' });
    const focused = el.shadowRoot!.activeElement as HTMLElement;
    expect(focused.matches(':focus-visible')).to.equal(true);
    const style = getComputedStyle(focused);
    expect(style.outlineStyle).to.equal('solid');
    expect(parseFloat(style.outlineOffset)).to.be.lessThan(0);
  });

  it('sorts by soonest window expiry on request', async () => {
    const el = await fixture<WcpSessionTabs>(html`<wcp-session-tabs .sessions=${sessions} selected-id="a"></wcp-session-tabs>`);
    expect(tabNames(el)).to.deep.equal(['Ana García', 'Bo Chen', '+14155550102']);
    const toggle = el.shadowRoot!.querySelector<HTMLButtonElement>('.sort')!;
    toggle.click();
    await el.updateComplete;
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    expect(tabNames(el)).to.deep.equal(['Bo Chen', '+14155550102', 'Ana García']);
    await expect(el).to.be.accessible();
  });

  it('selects tabs by click and arrow keys', async () => {
    const el = await fixture<WcpSessionTabs>(html`<wcp-session-tabs .sessions=${sessions} selected-id="a"></wcp-session-tabs>`);
    const tabs = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]');
    setTimeout(() => tabs[2]!.click());
    expect(((await oneEvent(el, 'wcp-select-conversation')) as SelectConversationEvent).conversationId).to.equal('c');
    tabs[0]!.focus();
    const next = oneEvent(el, 'wcp-select-conversation') as Promise<SelectConversationEvent>;
    await sendKeys({ press: 'ArrowRight' });
    expect((await next).conversationId).to.equal('b');
    await expect(el).to.be.accessible();
  });
});
