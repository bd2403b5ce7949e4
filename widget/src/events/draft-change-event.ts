/** The composer text changed (the panel keeps one draft per conversation). */
export class DraftChangeEvent extends Event {
  static readonly eventName = 'wcp-draft-change';
  constructor(readonly draft: string) {
    super(DraftChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-draft-change': DraftChangeEvent;
  }
}
