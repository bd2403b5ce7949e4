/** Where a conversation is handed over to: one agent (an offer) or a queue. */
export type TransferTarget = { agentId: string } | { queueId: string };

/** The agent transfers the conversation, with an optional note for whoever takes it. */
export class TransferEvent extends Event {
  static readonly eventName = 'wcp-transfer';
  constructor(
    readonly destination: TransferTarget,
    readonly note: string | null,
  ) {
    super(TransferEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-transfer': TransferEvent;
  }
}
