/** The wrap-up form as the agent is filling it in: the disposition chosen ('' for none yet) and the summary as typed. */
export interface WrapUpDraft {
  disposition: string;
  summary: string;
}

/** The agent changed the wrap-up's disposition or summary (the panel keeps them per conversation until it closes). */
export class WrapUpChangeEvent extends Event {
  static readonly eventName = 'wcp-wrap-up-change';
  constructor(readonly wrapUp: WrapUpDraft) {
    super(WrapUpChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-wrap-up-change': WrapUpChangeEvent;
  }
}
