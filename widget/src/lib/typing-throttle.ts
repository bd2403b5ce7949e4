/**
 * The agent is typing: the relay shows WhatsApp's typing indicator at most once per 20 s per
 * conversation, so the panel asks no more often than that (every keystroke would flood it).
 */
export const TYPING_INTERVAL_MS = 20_000;

export class TypingThrottle {
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly intervalMs = TYPING_INTERVAL_MS) {}

  /** True (and remembered) when the relay may be told now; false within the interval of the last time. */
  take(conversationId: string, now: number): boolean {
    const last = this.lastSent.get(conversationId);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.lastSent.set(conversationId, now);
    return true;
  }
}
