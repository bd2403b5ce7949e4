/** The agent typed in the composer (the panel tells the relay, at most once per 20 s per conversation). */
export class TypingEvent extends Event {
  static readonly eventName = 'wcp-typing';
  constructor() {
    super(TypingEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-typing': TypingEvent;
  }
}
