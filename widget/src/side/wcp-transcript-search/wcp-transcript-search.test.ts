import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { OpenConversationEvent, TranscriptSearchEvent } from '../../events/index.js';
import { searchHits } from '../shared/test-fixtures.js';
import { control, nextEvent } from '../shared/test-helpers.js';
import { highlightParts } from './highlight.js';
import './wcp-transcript-search.js';
import type { TranscriptSearchElement } from './wcp-transcript-search.js';
import { spokenNames } from '../../test/spoken-names.js';

async function search(el: TranscriptSearchElement, text: string) {
  control(el, 'Search conversations').focus();
  await sendKeys({ type: text });
  const raised = nextEvent(el, 'wcp-transcript-search');
  await sendKeys({ press: 'Enter' });
  return raised;
}

describe('wcp-transcript-search', () => {
  it('raises TranscriptSearchEvent with the typed query', async () => {
    const el = await fixture<TranscriptSearchElement>(html`<wcp-transcript-search></wcp-transcript-search>`);
    const event = await search(el, 'refund');
    expect(event).to.be.instanceOf(TranscriptSearchEvent);
    expect(event.query).to.equal('refund');
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('No messages found.');
    await expect(el).to.be.accessible();
  });

  it('shows hits with customer (name and number), author, snippet as text with marked words, time, and a closed one\'s disposition', async () => {
    const el = await fixture<TranscriptSearchElement>(html`<wcp-transcript-search></wcp-transcript-search>`);
    await search(el, 'refund');
    el.hits = searchHits;
    await el.updateComplete;
    const hits = [...el.shadowRoot!.querySelectorAll('[part="results"] button')];
    expect(hits.map((h) => h.querySelector('strong')!.textContent)).to.deep.equal(['Oliver', '+14155550100']);
    expect(hits[0]!.querySelector('.snippet')!.textContent).to.equal('Customer: my <script>refund</script> has not arrived');
    expect(hits[0]!.querySelector('script')).to.equal(null);
    expect(hits[0]!.querySelector('mark')!.textContent).to.equal('refund');
    expect(hits[1]!.querySelector('.snippet')!.textContent).to.contain('Agent: ');
    expect(hits[0]!.querySelector('time')!.getAttribute('datetime')).to.equal('2025-11-20T08:30:00.000Z');
    expect(hits.map((h) => h.querySelector('.who bdi')?.textContent ?? null)).to.deep.equal(['+447700900123', null]);
    expect(hits.map((h) => h.querySelector('.closed')?.textContent?.replace(/\s+/g, ' ') ?? null)).to.deep.equal([null, 'Closed: Resolved · Refund <b>issued</b>,']);
    expect(hits[1]!.querySelector('.closed b'), 'the summary as text').to.equal(null);
    // Read as one line by a screen reader, its parts apart (Chromium ran the name into the number: "Oliver+447700900123").
    const gap = hits[0]!.querySelector('.who bdi')!.getBoundingClientRect().left - hits[0]!.querySelector('.who strong')!.getBoundingClientRect().right;
    expect(gap, 'the number apart from the name on screen too ("Oliver+447700900123" before)').to.be.greaterThan(2);
    const [oliver, closed] = (await spokenNames('button')).slice(-2);
    expect(oliver).to.match(/^Oliver, \+447700900123, .+ \d\d?:\d\d( [AP]M)?, Customer: my <script>refund<\/script> has not arrived$/);
    expect(closed).to.match(/^\+14155550100, .*, Closed: Resolved · Refund <b>issued<\/b>, Agent: /);
    await expect(el).to.be.accessible();
  });

  it('opens the conversation of a hit', async () => {
    const el = await fixture<TranscriptSearchElement>(html`<wcp-transcript-search .hits=${searchHits}></wcp-transcript-search>`);
    const raised = nextEvent(el, 'wcp-open-conversation');
    el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="results"] button')[1]!.click();
    const event = await raised;
    expect(event).to.be.instanceOf(OpenConversationEvent);
    expect(event.conversationId).to.equal('conv-8');
    await expect(el).to.be.accessible();
  });

  it('marks every search word, case-insensitively, with regex characters taken literally', () => {
    expect(highlightParts('Refund for order (4471)', 'refund (4471)')).to.deep.equal([
      { text: 'Refund', match: true },
      { text: ' for order ', match: false },
      { text: '(4471)', match: true },
    ]);
    expect(highlightParts('abc', '')).to.deep.equal([{ text: 'abc', match: false }]);
  });

  it('marks what the search found: accents and case ignored, Chinese and Japanese words inside a sentence, one character too', () => {
    expect(highlightParts('Não recebi o Café', 'nao cafe')).to.deep.equal([
      { text: 'Não', match: true },
      { text: ' recebi o ', match: false },
      { text: 'Café', match: true },
    ]);
    expect(highlightParts('我的包裹没有到', '包裹')).to.deep.equal([
      { text: '我的', match: false },
      { text: '包裹', match: true },
      { text: '没有到', match: false },
    ]);
    expect(highlightParts('荷物が届きました', '届')).to.deep.equal([
      { text: '荷物が', match: false },
      { text: '届', match: true },
      { text: 'きました', match: false },
    ]);
    // A one-letter Latin word marks nothing; overlapping words are one mark.
    expect(highlightParts('a parcel', 'a')).to.deep.equal([{ text: 'a parcel', match: false }]);
    expect(highlightParts('tracking', 'track tracking')).to.deep.equal([{ text: 'tracking', match: true }]);
    // An accent written as a letter and a combining mark stays inside the mark.
    expect(highlightParts('Cafe\u0301 aberto', 'cafe')).to.deep.equal([
      { text: 'Cafe\u0301', match: true },
      { text: ' aberto', match: false },
    ]);
  });
});
