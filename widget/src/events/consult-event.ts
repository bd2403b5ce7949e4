/** The agent invites a colleague to consult: it reads the conversation and adds notes. */
export class ConsultEvent extends Event {
  static readonly eventName = 'wcp-consult';
  constructor(readonly agentId: string) {
    super(ConsultEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-consult': ConsultEvent;
  }
}
