/** The agent activated a link to an earlier message (a quote, a button's question): show it in the transcript. */
export class ShowMessageEvent extends Event {
  static readonly eventName = 'wcp-show-message';
  constructor(readonly messageId: string) {
    super(ShowMessageEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-show-message': ShowMessageEvent;
  }
}
