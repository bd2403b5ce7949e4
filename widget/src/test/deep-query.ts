/** Queries through nested shadow roots, for tests of the whole panel. */
export function deepQueryAll(root: ParentNode, selector: string): Element[] {
  const found: Element[] = [...root.querySelectorAll(selector)];
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) found.push(...deepQueryAll(el.shadowRoot, selector));
  return found;
}

/** The session tabs (conversations), not the side pane's tabs. */
export function sessionTabs(panel: Element): HTMLElement[] {
  const tabs = panel.shadowRoot!.querySelector('wcp-session-tabs');
  return tabs ? (deepQueryAll(tabs.shadowRoot!, '[role="tab"]') as HTMLElement[]) : [];
}
