import type { WrapUp } from '../events/change-state-event.js';

/** The supervisor chose an agent to offer the conversation to. */
export class AssignEvent extends Event {
  static readonly eventName = 'wcp-assign';
  constructor(
    readonly conversationId: string,
    readonly agentId: string,
  ) {
    super(AssignEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The supervisor closes the conversation from whatever state it is in, with a wrap-up. */
export class ForceCloseEvent extends Event {
  static readonly eventName = 'wcp-force-close';
  constructor(
    readonly conversationId: string,
    readonly wrapUp: WrapUp,
  ) {
    super(ForceCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

/** A supervisor dialog was dismissed (Cancel, Escape, or done). */
export class DialogDismissEvent extends Event {
  static readonly eventName = 'wcp-dialog-dismiss';
  constructor() {
    super(DialogDismissEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-assign': AssignEvent;
    'wcp-force-close': ForceCloseEvent;
    'wcp-dialog-dismiss': DialogDismissEvent;
  }
}
