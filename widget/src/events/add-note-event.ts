/** The agent added a note to the conversation. `body` is trimmed and not empty. */
export class AddNoteEvent extends Event {
  static readonly eventName = 'wcp-add-note';
  constructor(readonly body: string) {
    super(AddNoteEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-add-note': AddNoteEvent;
  }
}
