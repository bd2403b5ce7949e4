/** The agent searched the transcripts of their conversations; answer with `searchHits`. */
export class TranscriptSearchEvent extends Event {
  static readonly type = 'wcp-transcript-search';
  constructor(readonly query: string) {
    super(TranscriptSearchEvent.type, { bubbles: true, composed: true });
  }
}
