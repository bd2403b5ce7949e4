/** The agent searched the transcripts of their conversations; answer with `searchHits`. */
export class TranscriptSearchEvent extends Event {
  static readonly eventName = 'wcp-transcript-search';
  constructor(readonly query: string) {
    super(TranscriptSearchEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-transcript-search': TranscriptSearchEvent;
  }
}
