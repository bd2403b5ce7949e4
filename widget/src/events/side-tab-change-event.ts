export const SIDE_TABS = ['summary', 'notes', 'records', 'knowledge', 'scripts', 'search', 'assist'] as const;
export type SideTab = (typeof SIDE_TABS)[number];

/** The agent switched the side pane's tab. */
export class SideTabChangeEvent extends Event {
  static readonly eventName = 'wcp-side-tab-change';
  constructor(readonly tab: SideTab) {
    super(SideTabChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wcp-side-tab-change': SideTabChangeEvent;
  }
}
