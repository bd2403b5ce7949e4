/** The agent added a note to the conversation. `body` is trimmed and not empty. */
export class AddNoteEvent extends Event {
  static readonly type = 'wcp-add-note';
  constructor(readonly body: string) {
    super(AddNoteEvent.type, { bubbles: true, composed: true });
  }
}
