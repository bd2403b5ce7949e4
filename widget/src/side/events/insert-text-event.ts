export type InsertTextSource = 'knowledge' | 'script' | 'quick-reply';

/**
 * Text to put into the composer at the caret. It may hold placeholders
 * (`{customer.name}`, `{agent.name}`, `{record.<field>}`) that the panel fills.
 */
export class InsertTextEvent extends Event {
  static readonly type = 'wcp-insert-text';
  constructor(
    readonly text: string,
    readonly source: InsertTextSource,
  ) {
    super(InsertTextEvent.type, { bubbles: true, composed: true });
  }
}
