import type { QuickReplyButton } from '@wcp/protocol';

/** The agent sends a free-form message: text, an attachment (checked already) or both; text may carry up to 3 quick-reply buttons. */
export class SendMessageEvent extends Event {
  static readonly eventName = 'wcp-send';
  constructor(
    readonly body: string,
    readonly file: File | null,
    readonly replyToMessageId: string | null,
    readonly buttons: readonly QuickReplyButton[] = [],
  ) {
    super(SendMessageEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-send': SendMessageEvent;
  }
}
