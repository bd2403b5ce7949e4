/**
 * A stored event as the text of `GET /api/v1/events`. Most rows are one frame; a customer's
 * message stored with the window it re-opened (store/port.ts StoredEventData) is two, `message`
 * (which carries the window too) then `window`. Every frame carries its row's id, as the design
 * has every event carry one; so the two frames of a row share it. A panel that drops between
 * them resumes after the row and has missed only the `window` frame, whose news the `message`
 * frame brought.
 */
import type { StoredEvent } from '../store/port.ts';

export interface Frame {
  type: string;
  data: unknown;
}

/** The frames one stored event streams as, in order. */
export function framesOf(event: StoredEvent): Frame[] {
  if (event.type === 'message') {
    const data = (event as StoredEvent<'message'>).data;
    if (data.windowExpiresAt !== undefined) {
      return [
        { type: 'message', data },
        { type: 'window', data: { conversationId: data.conversationId, windowExpiresAt: data.windowExpiresAt } },
      ];
    }
  }
  return [{ type: event.type, data: event.data }];
}

export function sseText(event: StoredEvent): string {
  let text = '';
  for (const frame of framesOf(event)) text += `id: ${event.id}\nevent: ${frame.type}\ndata: ${JSON.stringify(frame.data)}\n\n`;
  return text;
}
