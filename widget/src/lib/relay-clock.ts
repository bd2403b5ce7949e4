import type { Conversation } from '@wcp/protocol';

/**
 * The relay's clock as seen from the browser. Windows and offers expire on the relay's
 * clock, which may differ from ours (skew, or the simulator moving it forward); `window`
 * events carry `serverTime`, from which the offset is taken. Immutable: a new offset is a
 * new value, so a Lit host re-renders when it changes.
 */
export class RelayClock {
  /** The relay's clock minus ours, in ms. */
  constructor(readonly offsetMs = 0) {}

  static fromServerTime(serverTime: string, localNow = Date.now()): RelayClock {
    const offset = Date.parse(serverTime) - localNow;
    return new RelayClock(Number.isFinite(offset) ? offset : 0);
  }

  /** Now on the relay's clock. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** A relay timestamp moved onto our clock, so children can count down with Date.now(). */
  toLocal(iso: string | null): string | null {
    return iso && this.offsetMs ? new Date(Date.parse(iso) - this.offsetMs).toISOString() : iso;
  }

  /** The offer's expiry moved onto our clock (the same object when there is no offset). */
  offerToLocal(conversation: Conversation): Conversation {
    const { offer } = conversation;
    return offer && this.offsetMs ? { ...conversation, offer: { ...offer, expiresAt: this.toLocal(offer.expiresAt)! } } : conversation;
  }
}
