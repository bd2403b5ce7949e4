import type { MediaItem } from '@wcp/protocol';

/** The transcript shows a media item whose bytes (a relay path needing the token) are not loaded yet. */
export class MediaRequestEvent extends Event {
  static readonly eventName = 'wcp-media-request';
  constructor(readonly media: MediaItem) {
    super(MediaRequestEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-media-request': MediaRequestEvent;
  }
}
