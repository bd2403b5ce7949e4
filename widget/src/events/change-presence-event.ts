import type { Presence } from '@wcp/protocol';

/** The agent changes their presence. */
export class ChangePresenceEvent extends Event {
  static readonly eventName = 'wcp-change-presence';
  constructor(readonly presence: Presence) {
    super(ChangePresenceEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-change-presence': ChangePresenceEvent;
  }
}
