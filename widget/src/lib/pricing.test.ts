import { expect } from '@open-wc/testing';
import { PRICING_ERAS, pricingEraAt, sendPricing } from './pricing.js';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('WhatsApp pricing table', () => {
  it('is ordered by date, so the latest era that has begun applies', () => {
    const dates = PRICING_ERAS.map((era) => era.from);
    expect([...dates].sort()).to.deep.equal(dates);
    expect(pricingEraAt(day('2023-05-31'))).to.equal(null);
    expect(pricingEraAt(day('2025-07-01'))!.model).to.equal('message');
  });

  it('makes a utility template inside the window free from 1 July 2025, and charged per conversation the day before', () => {
    expect(sendPricing('utility', true, day('2025-06-30'))).to.deep.equal({ charge: 'per-conversation', billable: true, since: '2024-11-01' });
    expect(sendPricing('utility', true, day('2025-07-01'))).to.deep.equal({ charge: 'free', billable: false, since: '2025-07-01' });
    expect(sendPricing('utility', false, day('2025-07-01'))).to.deep.equal({ charge: 'per-message', billable: true, since: '2025-07-01' });
  });

  it('charges marketing and authentication templates on both sides of 1 July 2025, per conversation then per message', () => {
    for (const category of ['marketing', 'authentication']) {
      expect(sendPricing(category, true, day('2025-06-30'))!.charge).to.equal('per-conversation');
      expect(sendPricing(category, true, day('2025-07-01'))!.charge).to.equal('per-message');
      expect(sendPricing(category, false, day('2026-01-15'))!.billable).to.equal(true);
    }
  });

  it('makes service (free-form) replies free from 1 November 2024, within an allowance before', () => {
    expect(sendPricing('service', true, day('2024-10-31'))).to.deep.equal({ charge: 'free-tier', billable: true, since: '2023-06-01' });
    expect(sendPricing('service', true, day('2024-11-01'))).to.deep.equal({ charge: 'free', billable: false, since: '2024-11-01' });
    expect(sendPricing('service', true, day('2025-08-01'))!.billable).to.equal(false);
  });

  it('says nothing for a category WhatsApp does not price or a date before the table', () => {
    expect(sendPricing(undefined, true, day('2025-08-01'))).to.equal(null);
    expect(sendPricing('promotional', true, day('2025-08-01'))).to.equal(null);
    expect(sendPricing('utility', true, day('2020-01-01'))).to.equal(null);
  });

  it('follows an era added at the end without touching the rest', () => {
    const later = [...PRICING_ERAS, { ...PRICING_ERAS.at(-1)!, from: '2027-01-01', charges: { ...PRICING_ERAS.at(-1)!.charges, service: { insideWindow: 'per-message' as const, outsideWindow: 'per-message' as const } } }];
    expect(sendPricing('service', true, day('2026-12-31'), later)!.billable).to.equal(false);
    expect(sendPricing('service', true, day('2027-01-01'), later)!.billable).to.equal(true);
  });
});
