import type { ConversationState } from '@wcp/protocol';

/** How a conversation was closed: the disposition the relay requires, and an optional summary. */
export interface WrapUp {
  disposition: string;
  summary: string | null;
}

/** The agent moves the conversation to another state; closing carries the wrap-up. */
export class ChangeStateEvent extends Event {
  static readonly eventName = 'wcp-change-state';
  constructor(
    readonly state: ConversationState,
    readonly wrapUp: WrapUp | null = null,
  ) {
    super(ChangeStateEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-change-state': ChangeStateEvent;
  }
}
