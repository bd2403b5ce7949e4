/** The agent sends an approved WhatsApp template with these variable values. */
export class SendTemplateEvent extends Event {
  static readonly eventName = 'wcp-send-template';
  constructor(readonly contentSid: string, readonly variables: Record<string, string>) {
    super(SendTemplateEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-send-template': SendTemplateEvent;
  }
}
