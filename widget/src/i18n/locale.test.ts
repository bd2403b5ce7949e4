import { expect } from '@open-wc/testing';
import { formattingLocale, useLocale } from './locale.js';
import { formatTime } from '../lib/time.js';

describe('formattingLocale', () => {
  afterEach(() => useLocale('en'));

  it("writes the panel's language as the browser's region does: an English panel in the UK has a 24-hour clock", async () => {
    await useLocale('en');
    expect(formattingLocale(['en-GB', 'en'])).to.equal('en-GB');
    expect(formattingLocale(['en-US'])).to.equal('en-US');
  });

  it("keeps the panel's language when the browser prefers none of its regions, or names no region", async () => {
    await useLocale('de');
    expect(formattingLocale(['en-GB', 'fr-FR'])).to.equal('de');
    expect(formattingLocale(['de'])).to.equal('de');
    expect(formattingLocale(['fr-CA', 'de-AT'])).to.equal('de-AT');
    expect(formattingLocale(['de-%%'])).to.equal('de', 'a malformed tag');
  });

  it("is what the panel's times are written in: 14:32 in the UK, 02:32 PM in the US", async () => {
    await useLocale('en');
    const afternoon = new Date(2026, 11, 8, 14, 32).toISOString();
    const browserPrefers = (languages: string[]) => Object.defineProperty(navigator, 'languages', { value: Object.freeze(languages), configurable: true });
    try {
      browserPrefers(['en-GB']);
      expect(formatTime(afternoon)).to.equal('14:32');
      browserPrefers(['en-US']);
      expect(formatTime(afternoon)).to.equal('02:32 PM');
    } finally {
      delete (navigator as { languages?: unknown }).languages; // the prototype's getter again
    }
  });
});
