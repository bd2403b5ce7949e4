import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ChangePresenceEvent } from '../events/change-presence-event.js';
import type { WcpPresence } from './wcp-presence.js';
import './wcp-presence.js';

describe('wcp-presence', () => {
  it('is a control named Presence offering the five presences', async () => {
    const el = await fixture<WcpPresence>(html`<wcp-presence presence="available"></wcp-presence>`);
    const select = el.shadowRoot!.querySelector('select')!;
    expect(select.labels![0]!.textContent).to.equal('Presence');
    expect([...select.options].map((o) => o.textContent)).to.deep.equal(['Available', 'Busy', 'Do not disturb', 'Away', 'Offline']);
    expect(select.selectedOptions[0]!.textContent).to.equal('Available');
    await expect(el).to.be.accessible();
  });

  it('raises the chosen presence and waits for the panel to confirm it', async () => {
    const el = await fixture<WcpPresence>(html`<wcp-presence presence="available"></wcp-presence>`);
    const select = el.shadowRoot!.querySelector('select')!;
    select.value = 'dnd';
    setTimeout(() => select.dispatchEvent(new Event('change')));
    const event = (await oneEvent(el, 'wcp-change-presence')) as ChangePresenceEvent;
    expect(event.presence).to.equal('dnd');
    expect(select.value).to.equal('available');
    await expect(el).to.be.accessible();
  });
});
