/** The transcript reached its oldest loaded message and wants the previous page. */
export class LoadOlderEvent extends Event {
  static readonly eventName = 'wcp-load-older';
  constructor() {
    super(LoadOlderEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-load-older': LoadOlderEvent;
  }
}
