/**
 * A stored event as the text of `GET /api/v1/events`. Most rows are one frame; a customer's
 * message stored with the window it re-opened (store/port.ts StoredEventData) is two, `message`
 * then `window`. Only the last frame of a row carries the row's id: a panel that drops between
 * the two resumes from the row before and gets both again (it keeps a message once, by its id),
 * and one that saw the `window` frame has seen the whole row.
 */
import type { StoredEvent } from '../store/port.ts';

export interface Frame {
  type: string;
  data: unknown;
}

/** The frames one stored event streams as, in order. */
export function framesOf(event: StoredEvent): Frame[] {
  if (event.type === 'message') {
    const { windowExpiresAt, ...message } = (event as StoredEvent<'message'>).data;
    if (windowExpiresAt !== undefined) {
      return [
        { type: 'message', data: message },
        { type: 'window', data: { conversationId: message.conversationId, windowExpiresAt } },
      ];
    }
  }
  return [{ type: event.type, data: event.data }];
}

export function sseText(event: StoredEvent): string {
  const frames = framesOf(event);
  let text = '';
  for (const [i, frame] of frames.entries()) {
    text += `${i === frames.length - 1 ? `id: ${event.id}\n` : ''}event: ${frame.type}\ndata: ${JSON.stringify(frame.data)}\n\n`;
  }
  return text;
}
