/** The template picker closed (sent, cancelled or Escape). */
export class TemplatePickerCloseEvent extends Event {
  static readonly eventName = 'wcp-template-picker-close';
  constructor() {
    super(TemplatePickerCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-template-picker-close': TemplatePickerCloseEvent;
  }
}
