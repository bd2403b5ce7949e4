export const SIDE_TABS = ['summary', 'notes', 'records', 'knowledge', 'scripts', 'search', 'assist'] as const;
export type SideTab = (typeof SIDE_TABS)[number];

/** The agent switched the side pane's tab. */
export class SideTabChangeEvent extends Event {
  static readonly type = 'wcp-side-tab-change';
  constructor(readonly tab: SideTab) {
    super(SideTabChangeEvent.type, { bubbles: true, composed: true });
  }
}
