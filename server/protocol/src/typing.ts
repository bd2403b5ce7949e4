/**
 * WhatsApp's typing indicator, at most once per 20 seconds per conversation (WhatsApp shows
 * it for up to 25 s, until the reply arrives). The relay bounds its calls to Twilio with it
 * (per relay process: an agent's panel stays on one instance, so the bound holds for that
 * agent), and the panel bounds its calls to the relay with the same rule.
 */
export const TYPING_INTERVAL_MS = 20_000;

export class TypingThrottle {
  private readonly last = new Map<string, number>();

  /** True (and the slot is taken) when the conversation's last indicator is 20 s old or more. */
  take(conversationId: string, now: number): boolean {
    const previous = this.last.get(conversationId);
    if (previous !== undefined && now - previous < TYPING_INTERVAL_MS) return false;
    this.last.set(conversationId, now);
    // Forget slots long past, so the map does not grow with every conversation ever typed in.
    if (this.last.size > 10_000) for (const [id, at] of this.last) if (now - at >= TYPING_INTERVAL_MS) this.last.delete(id);
    return true;
  }
}
