/** The agent asks for the template picker (composer button or the window-expired offer). */
export class OpenTemplatesEvent extends Event {
  static readonly eventName = 'wcp-open-templates';
  constructor() {
    super(OpenTemplatesEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-open-templates': OpenTemplatesEvent;
  }
}
