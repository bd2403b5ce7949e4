export type InsertTextSource = 'knowledge' | 'script' | 'quick-reply';

/**
 * Text to put into the composer at the caret. It may hold placeholders
 * (`{customer.name}`, `{agent.name}`, `{record.<field>}`) that the panel fills.
 */
export class InsertTextEvent extends Event {
  static readonly eventName = 'wcp-insert-text';
  constructor(
    readonly text: string,
    readonly source: InsertTextSource,
  ) {
    super(InsertTextEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-insert-text': InsertTextEvent;
  }
}
