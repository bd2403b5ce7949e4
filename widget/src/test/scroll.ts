/** The agent scrolls a transcript: a wheel turn (what tells the thread it is the agent), then the scroll it makes. */
export function agentScrolls(log: HTMLElement, top: number): void {
  log.dispatchEvent(new WheelEvent('wheel', { deltaY: top - log.scrollTop, bubbles: true, composed: true }));
  log.scrollTop = top;
}
