/**
 * Whether a WhatsApp send is billable under Meta's pricing at a given date: one table of
 * pricing eras, each with the date it applies from. To follow a change Meta announces, add an
 * era at the end; the older ones stay so a date before the change still answers as it did.
 *
 * Dates are UTC midnights (Meta switches at midnight in the business account's time zone: a
 * send within hours of a change may be answered by the neighbouring era). Sources: Meta's
 * "Pricing on the WhatsApp Business Platform" and its per-message pricing announcement.
 */

/** What is sent: a template of WhatsApp's category, or `service` (a free-form reply). */
export type PricingCategory = 'utility' | 'marketing' | 'authentication' | 'service';

/**
 * How a send is charged: `free`; `per-message` (each delivered message); `per-conversation`
 * (it opens a charged 24-hour conversation of its category unless one is open already);
 * `free-tier` (free within the monthly allowance of free service conversations, then charged).
 */
export type Charge = 'free' | 'per-message' | 'per-conversation' | 'free-tier';

export interface PricingEra {
  /** The first day it applies, `YYYY-MM-DD` (UTC). */
  from: string;
  model: 'conversation' | 'message';
  /** The charge by category, inside and outside the customer-service window. */
  charges: Readonly<Record<PricingCategory, { insideWindow: Charge; outsideWindow: Charge }>>;
}

const always = (charge: Charge) => ({ insideWindow: charge, outsideWindow: charge });

/** Oldest first. */
export const PRICING_ERAS: readonly PricingEra[] = [
  {
    // Conversation-based pricing with four categories; 1,000 free service conversations a month.
    from: '2023-06-01',
    model: 'conversation',
    charges: { service: always('free-tier'), utility: always('per-conversation'), marketing: always('per-conversation'), authentication: always('per-conversation') },
  },
  {
    // Service conversations free without limit.
    from: '2024-11-01',
    model: 'conversation',
    charges: { service: always('free'), utility: always('per-conversation'), marketing: always('per-conversation'), authentication: always('per-conversation') },
  },
  {
    // Per-message pricing: each template is charged, except a utility template inside an open customer-service window.
    from: '2025-07-01',
    model: 'message',
    charges: {
      service: always('free'),
      utility: { insideWindow: 'free', outsideWindow: 'per-message' },
      marketing: always('per-message'),
      authentication: always('per-message'),
    },
  },
];

export interface SendPricing {
  charge: Charge;
  billable: boolean;
  /** The era's first day. */
  since: string;
}

/** The era in force at `at`, or null before the first one the table knows. */
export function pricingEraAt(at: Date, eras: readonly PricingEra[] = PRICING_ERAS): PricingEra | null {
  const day = at.toISOString().slice(0, 10);
  return eras.reduce<PricingEra | null>((found, era) => (era.from <= day ? era : found), null);
}

/** How this send is charged; null when the category is not one WhatsApp prices or the date predates the table. */
export function sendPricing(category: string | undefined, insideWindow: boolean, at: Date, eras: readonly PricingEra[] = PRICING_ERAS): SendPricing | null {
  const era = pricingEraAt(at, eras);
  const known = category?.toLowerCase() as PricingCategory | undefined;
  if (!era || !known || !(known in era.charges)) return null;
  const charge = era.charges[known][insideWindow ? 'insideWindow' : 'outsideWindow'];
  return { charge, billable: charge !== 'free', since: era.from };
}
