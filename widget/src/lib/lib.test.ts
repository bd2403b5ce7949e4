import { expect } from '@open-wc/testing';
import type { Conversation } from '@wcp/protocol';
import { attachmentProblem } from './attachment.js';
import { canTransition } from './conversation-state.js';
import { linkify } from './linkify.js';
import { fillPlaceholders, renderTemplateBody } from './placeholders.js';
import { RelayClock } from './relay-clock.js';
import { tabKeyTarget } from './tab-keys.js';
import { formatClock, formatCount, formatDay, formatDuration } from './time.js';
import { useLocale } from '../i18n/locale.js';

describe('widget helpers', () => {
  it('links only http(s) URLs and keeps trailing punctuation outside', () => {
    expect(linkify('see https://contoso.com/a?b=1. or javascript:alert(1)')).to.deep.equal([
      { text: 'see ' },
      { text: 'https://contoso.com/a?b=1', href: 'https://contoso.com/a?b=1' },
      { text: '. or javascript:alert(1)' },
    ]);
    expect(linkify('no links')).to.deep.equal([{ text: 'no links' }]);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const context = { customerName: 'Ana', agentName: 'Dana', record: { ticketnumber: 'CAS-1' } };
    expect(fillPlaceholders('Hi {customer.name}, {agent.name} here about {record.ticketnumber} {record.missing}', context)).to.equal(
      'Hi Ana, Dana here about CAS-1 {record.missing}',
    );
    expect(renderTemplateBody('Hello {{1}}, {{ 2 }}', { 1: 'Ana', 2: '' })).to.equal('Hello Ana, {{ 2 }}');
  });

  it('knows the allowed state transitions', () => {
    expect(canTransition('open', 'active')).to.equal(true);
    expect(canTransition('active', 'closed')).to.equal(false);
    expect(canTransition('wrapup', 'closed')).to.equal(true);
    expect(canTransition('closed', 'active')).to.equal(false);
  });

  it('checks attachment type and size', () => {
    expect(attachmentProblem({ name: 'a.png', type: 'image/png', size: 10 }, 100)).to.equal(null);
    expect(attachmentProblem({ name: 'a.gif', type: 'image/gif', size: 10 }, 100)).to.contain('cannot be sent on WhatsApp');
    expect(attachmentProblem({ name: 'b.pdf', type: 'application/pdf', size: 2 * 1024 * 1024 }, 1024 * 1024)).to.equal(
      '"b.pdf" is 2 MB; the limit is 1 MB.',
    );
  });

  it("applies WhatsApp's limit per kind of file: images 5 MB, audio, video and documents 16 MB", () => {
    const MB = 1024 * 1024;
    const max = 16 * MB;
    expect(attachmentProblem({ name: 'photo.jpg', type: 'image/jpeg', size: 5 * MB }, max)).to.equal(null);
    expect(attachmentProblem({ name: 'photo.jpg', type: 'image/jpeg', size: 6 * MB }, max)).to.equal(
      '"photo.jpg" is 6 MB; WhatsApp takes JPEG and PNG images up to 5 MB.',
    );
    expect(attachmentProblem({ name: 'clip.mp4', type: 'video/mp4', size: 6 * MB }, max)).to.equal(null);
    expect(attachmentProblem({ name: 'voice.ogg', type: 'audio/ogg', size: 15 * MB }, max)).to.equal(null);
    for (const name of ['contract.doc', 'contract.docx', 'figures.xls', 'figures.xlsx', 'deck.ppt', 'deck.pptx']) {
      expect(attachmentProblem({ name, type: '', size: 10 * MB }, max), name).to.equal(null);
    }
    expect(attachmentProblem({ name: 'manual.pdf', type: 'application/pdf', size: 17 * MB }, max)).to.equal(
      '"manual.pdf" is 17 MB; WhatsApp takes audio, video and documents up to 16 MB.',
    );
  });

  it('formats countdowns', () => {
    expect(formatClock(65_000)).to.equal('1:05');
    expect(formatClock(3_723_000)).to.equal('1:02:03');
    expect(formatDuration(20 * 3600_000 + 5 * 60_000)).to.equal('20 h 5 min');
    expect(formatDuration(42 * 60_000)).to.equal('42 min');
  });

  it("formats counts and days in the panel's locale, following a switch of it", async () => {
    try {
      expect(formatCount(4096)).to.equal('4,096');
      expect(formatDay('2026-12-03')).to.equal('December 3, 2026');
      await useLocale('de');
      // The formats are made once per locale: the one made for English is not reused.
      expect(formatCount(4096)).to.equal('4.096');
      expect(formatDay('2026-12-03')).to.equal('3. Dezember 2026');
    } finally {
      await useLocale('en');
    }
  });
});

describe('RelayClock', () => {
  it('moves relay times onto our clock by the offset learnt from serverTime', () => {
    const clock = RelayClock.fromServerTime('2025-06-02T11:30:00.000Z', Date.parse('2025-06-02T10:00:00.000Z'));
    expect(clock.offsetMs).to.equal(90 * 60_000);
    expect(clock.toLocal('2025-06-02T12:00:00.000Z')).to.equal('2025-06-02T10:30:00.000Z');
    expect(clock.toLocal(null)).to.equal(null);
    expect(RelayClock.fromServerTime('not a time').offsetMs).to.equal(0);
  });

  it('leaves conversations untouched without an offset and shifts the offer expiry with one', () => {
    const conversation = { offer: { agentId: 'a', expiresAt: '2025-06-02T12:00:00.000Z' } } as Conversation;
    expect(new RelayClock().offerToLocal(conversation)).to.equal(conversation);
    expect(new RelayClock(60_000).offerToLocal(conversation).offer!.expiresAt).to.equal('2025-06-02T11:59:00.000Z');
  });

  it('moves between tabs with the arrows as the tabs stand on screen, also right to left', () => {
    const ltr = document.createElement('div');
    const rtl = document.createElement('div');
    rtl.dir = 'rtl';
    document.body.append(ltr, rtl);
    expect([tabKeyTarget('ArrowRight', 2, 3, ltr), tabKeyTarget('ArrowLeft', 0, 3, ltr)]).to.deep.equal([0, 2]);
    expect([tabKeyTarget('ArrowRight', 2, 3, rtl), tabKeyTarget('ArrowLeft', 2, 3, rtl)]).to.deep.equal([1, 0]);
    expect([tabKeyTarget('Home', 1, 3, rtl), tabKeyTarget('End', 0, 3, ltr), tabKeyTarget('a', 0, 3, ltr)]).to.deep.equal([0, 2, -1]);
    ltr.remove();
    rtl.remove();
  });
});
